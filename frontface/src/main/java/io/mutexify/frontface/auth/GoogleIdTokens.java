package io.mutexify.frontface.auth;

import com.google.api.client.googleapis.auth.oauth2.GoogleIdToken;
import com.google.api.client.googleapis.auth.oauth2.GoogleIdTokenVerifier;
import com.google.api.client.googleapis.auth.oauth2.GooglePublicKeysManager;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import io.mutexify.frontface.http.ApiException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies Google ID tokens with google-api-client's {@link GoogleIdTokenVerifier}: an RS256
 * signature by one of the keys published at the certificate URL, one of our client ids as audience,
 * Google as issuer, not expired and not issued in the future (5 minutes' clock skew either way),
 * and a verified e-mail address, which becomes the principal. Before that library sees a token,
 * {@code exp} and {@code iat} must be present (it would fail on a missing one) and a {@code nbf},
 * if any, must have passed; the {@code hd} (Google Workspace domain) claim is handed on for the
 * domain allow-list.
 */
public final class GoogleIdTokens {
    /** Where Google publishes the x509 certificates of its ID-token signing keys. */
    public static final String DEFAULT_CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs";
    private static final Logger log = LoggerFactory.getLogger(GoogleIdTokens.class);

    private static final long SKEW_SECONDS = 300;

    private final GoogleIdTokenVerifier verifier;

    /** A verified Google identity: the e-mail address and the Workspace domain ({@code hd}, null for consumer accounts). */
    public record Verified(String email, String hostedDomain) {
    }

    /** Accepts tokens for any of {@code clientIds}, signed by a key served at {@code certsUrl}. */
    public GoogleIdTokens(List<String> clientIds, String certsUrl) {
        if (clientIds.isEmpty()) {
            throw new IllegalArgumentException("Google sign-in needs at least one client id");
        }
        GooglePublicKeysManager keys = new GooglePublicKeysManager.Builder(new NetHttpTransport(), GsonFactory.getDefaultInstance())
                .setPublicCertsEncodedUrl(certsUrl)
                .build();
        this.verifier = new GoogleIdTokenVerifier.Builder(keys)
                .setAudience(List.copyOf(clientIds))
                .setIssuers(List.of("accounts.google.com", "https://accounts.google.com"))
                .build();
    }

    /**
     * The token's verified identity (e-mail lower-case); empty for any token that fails a check.
     * If Google's keys cannot be fetched the answer is a 503: the token may well be good.
     */
    public Optional<Verified> verify(String token) {
        GoogleIdToken idToken;
        try {
            idToken = GoogleIdToken.parse(verifier.getJsonFactory(), token);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // not a JWT at all, or claims of the wrong type
        }
        try {
            if (!timesPresentAndPassed(idToken.getPayload(), System.currentTimeMillis() / 1000)) {
                return Optional.empty();
            }
        } catch (RuntimeException e) {
            return Optional.empty(); // a time claim that is not a number
        }
        boolean valid;
        try {
            valid = verifier.verify(idToken);
        } catch (RuntimeException e) {
            return Optional.empty(); // a claim of a shape the library does not expect: not a token of ours
        } catch (IOException | GeneralSecurityException e) {
            // Never log the token itself; the reason is enough to find the outage.
            log.warn("cannot fetch or read Google's public keys: {}", e.toString());
            throw new ApiException(503, "sign_in_unavailable", "Google's signing keys cannot be fetched right now; retry shortly");
        }
        if (!valid) {
            return Optional.empty();
        }
        GoogleIdToken.Payload p = idToken.getPayload();
        if (!Boolean.TRUE.equals(p.getEmailVerified())) {
            return Optional.empty();
        }
        String hd = p.getHostedDomain();
        return Principals.email(p.getEmail()).map(e -> new Verified(e, hd == null ? null : hd.toLowerCase(java.util.Locale.ROOT)));
    }

    /** {@code exp} and {@code iat} present, and {@code nbf} (optional) not ahead of {@code nowSeconds} beyond the skew. */
    static boolean timesPresentAndPassed(GoogleIdToken.Payload p, long nowSeconds) {
        Long nbf = p.getNotBeforeTimeSeconds();
        return p.getExpirationTimeSeconds() != null && p.getIssuedAtTimeSeconds() != null
                && (nbf == null || nbf <= nowSeconds + SKEW_SECONDS);
    }
}
