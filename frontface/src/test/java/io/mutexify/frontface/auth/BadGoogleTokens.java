package io.mutexify.frontface.auth;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * ID tokens that Google sign-in must refuse, each failing one check: every host's sign-in tests run
 * the whole table, so the local server and the Azure app are held to the same rules.
 */
public final class BadGoogleTokens {
    private BadGoogleTokens() {
    }

    /** One token to refuse, named by what is wrong with it. */
    public record Case(String why, String token) {
        @Override
        public String toString() {
            return why;
        }
    }

    /**
     * Every case, for a server that trusts {@code google}'s key and {@link LocalGoogle#CLIENT_ID}
     * and allows only {@code example.com} addresses.
     */
    public static List<Case> all(LocalGoogle google) {
        long now = Instant.now().getEpochSecond();
        String good = token(google, c -> { });
        int dot = good.lastIndexOf('.');
        char last = good.charAt(dot + 5);
        String otherClaims = token(google, c -> c.put("email", "mallory@example.com"));
        return List.of(
                new Case("another audience", token(google, c -> c.put("aud", "someone-else.apps.googleusercontent.com"))),
                new Case("another issuer", token(google, c -> c.put("iss", "https://accounts.example.com"))),
                new Case("expired", token(google, c -> {
                    c.put("iat", now - 7200);
                    c.put("exp", now - 3600);
                })),
                new Case("issued in the future beyond the clock skew", token(google, c -> {
                    c.put("iat", now + 3600);
                    c.put("exp", now + 7200);
                })),
                new Case("a tampered signature", good.substring(0, dot + 5) + (last == 'A' ? 'B' : 'A') + good.substring(dot + 6)),
                // Same signature, other claims: the signature no longer covers them.
                new Case("another token's claims under this signature",
                        otherClaims.substring(0, otherClaims.lastIndexOf('.')) + good.substring(dot)),
                new Case("signed by another key", LocalGoogle.mint(LocalGoogle.header("RS256"),
                        LocalGoogle.claims("alice@example.com"), LocalGoogle.rsa().getPrivate())),
                new Case("unsigned", LocalGoogle.mint(LocalGoogle.header("none"), LocalGoogle.claims("alice@example.com"), null)),
                new Case("e-mail not verified", token(google, c -> c.put("email_verified", false))),
                new Case("no email_verified claim", token(google, c -> c.remove("email_verified"))),
                new Case("an e-mail outside the allowed domains", token(google, c -> c.put("email", "alice@elsewhere.org"))),
                new Case("not a JWT", "not-a-jwt"),
                new Case("three parts of garbage", "a.b.c"));
    }

    /** A token for alice@example.com signed by {@code google}, with {@code change} made to its claims. */
    public static String token(LocalGoogle google, Consumer<Map<String, Object>> change) {
        Map<String, Object> c = LocalGoogle.claims("alice@example.com");
        change.accept(c);
        return google.mint(c);
    }
}
