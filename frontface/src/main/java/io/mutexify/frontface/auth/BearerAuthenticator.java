package io.mutexify.frontface.auth;

import io.mutexify.model.auth.ApiKeyFormat;
import io.mutexify.model.auth.AuthMethod;
import io.mutexify.model.auth.Identity;
import io.mutexify.model.port.Authenticator;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads {@code Authorization: Bearer <credential>} and tells the kinds apart by shape: an API key
 * starts {@code mtx_}, a dev sign-in token {@code mtxs.}, anything else is taken for a Google ID
 * token. Every principal must pass the domain allow-list (a Google account its Workspace
 * domain too); administrators are marked.
 */
public final class BearerAuthenticator implements Authenticator {
    /** Longer than any real credential; a bigger header is refused without parsing it. */
    private static final int MAX_CREDENTIAL_CHARS = 8192;

    private final Principals principals;
    private final GoogleIdTokens google;
    private final SignInTokens signIns;
    private final ApiKeyCheck keys;

    /** {@code google} and {@code signIns} are null when that sign-in is off; keys always work. */
    public BearerAuthenticator(Principals principals, GoogleIdTokens google, SignInTokens signIns, ApiKeyCheck keys) {
        this.principals = principals;
        this.google = google;
        this.signIns = signIns;
        this.keys = keys;
    }

    @Override
    public Optional<Identity> identify(Function<String, String> header) {
        String credential = bearer(header.apply("Authorization"));
        if (credential == null) {
            return Optional.empty();
        }
        if (ApiKeyFormat.looksLikeKey(credential)) {
            return keys.verify(credential)
                    .filter(k -> principals.domainAllowed(k.principal()))
                    .map(k -> new Identity(principals.actor(k.principal()), AuthMethod.API_KEY, k.id()));
        }
        Optional<String> email;
        AuthMethod method;
        if (credential.startsWith(SignInTokens.PREFIX)) {
            email = signIns == null ? Optional.empty() : signIns.verify(credential);
            method = AuthMethod.DEV;
        } else {
            email = google == null ? Optional.empty() : google.verify(credential)
                    .filter(v -> principals.hostedDomainAllowed(v.hostedDomain()))
                    .map(GoogleIdTokens.Verified::email);
            method = AuthMethod.GOOGLE;
        }
        return email.filter(principals::domainAllowed).map(e -> Identity.of(principals.actor(e), method));
    }

    /** The credential of a {@code Bearer} header, or null. */
    static String bearer(String authorization) {
        if (authorization == null || authorization.length() > MAX_CREDENTIAL_CHARS + 7) {
            return null;
        }
        String a = authorization.trim();
        if (a.length() < 8 || !a.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return null;
        }
        String credential = a.substring(7).trim();
        return credential.isEmpty() || credential.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f) ? null : credential;
    }
}
