package io.mutexify.frontface.access;

import io.mutexify.frontface.ApiHandler;
import io.mutexify.frontface.auth.ApiKeyCheck;
import io.mutexify.frontface.auth.BearerAuthenticator;
import io.mutexify.frontface.auth.GoogleIdTokens;
import io.mutexify.frontface.auth.OpenAccess;
import io.mutexify.frontface.auth.Principals;
import io.mutexify.frontface.auth.SignInMethods;
import io.mutexify.frontface.auth.SignInTokens;
import io.mutexify.frontface.http.Cors;
import io.mutexify.frontface.limits.RateLimiter;
import io.mutexify.frontface.routes.ApiRoutes;
import io.mutexify.model.port.ApiKeyStore;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the access settings into the API's authenticator, sign-in endpoints, rate limit and CORS,
 * and says loudly what is on: every host builds its {@link ApiHandler}'s access this one way and
 * only brings its key store and, for the dev sign-in, where its sign-in key is kept.
 */
public final class SignInSetup {
    private static final Logger log = LoggerFactory.getLogger(SignInSetup.class);

    private SignInSetup() {
    }

    /** A cloud host's access ({@link AccessConfig#cloud}): it has no dev sign-in, so no sign-in key either. */
    public static ApiHandler.Builder apply(ApiHandler.Builder api, AccessConfig access, ApiKeyStore keys, Clock clock) {
        if (access.open() || access.devSignIn()) {
            throw new IllegalArgumentException("open access and the dev sign-in need a sign-in key and a local server");
        }
        return apply(api, access, keys, clock, () -> {
            throw new IllegalStateException("no dev sign-in here");
        });
    }

    /** Configures {@code api} for {@code access}; {@code devSignInKey} is asked for only when the dev sign-in is on. */
    public static ApiHandler.Builder apply(ApiHandler.Builder api, AccessConfig access, ApiKeyStore keys, Clock clock,
                                           Supplier<byte[]> devSignInKey) {
        ApiKeyCheck keyCheck = new ApiKeyCheck(keys, clock);
        // Keys revoked through the API stop working in this instance's check at once.
        api.apiKeys(keyCheck.revokingHere(keys))
                .rateLimiter(new RateLimiter(access.ratePerSecond(), access.rateBurst(), System::nanoTime))
                .cors(new Cors(access.corsOrigins()));
        if (access.open()) {
            log.warn("OPEN ACCESS: no sign-in, every caller is the administrator 'anonymous'."
                    + " Loopback only; unset MUTEXIFY_AUTH to require sign-in.");
            return api.authenticator(new OpenAccess()).signInMethods(SignInMethods.openMode());
        }
        Principals principals = new Principals(access.admins(), access.allowedDomains());
        GoogleIdTokens google = access.googleClientIds().isEmpty() ? null
                : new GoogleIdTokens(access.googleClientIds(), access.googleCertsUrl().toString());
        SignInTokens signIns = access.devSignIn()
                ? new SignInTokens(devSignInKey.get(), access.signInLifetime(), clock) : null;
        if (signIns != null) {
            log.warn("****************************************************************************");
            log.warn("DEV SIGN-IN IS ON: POST {} signs a caller in as ANY e-mail address they name,", ApiRoutes.DEV_SIGN_IN);
            log.warn("administrators included. There is no password: whoever can use it can become anyone.");
            log.warn("On a loopback address only callers on this machine may use it (not through a proxy);");
            log.warn("with MUTEXIFY_DEV_SIGNIN=true on another interface, EVERYONE who reaches the port may.");
            log.warn("Set MUTEXIFY_GOOGLE_CLIENT_IDS for real sign-in.");
            log.warn("****************************************************************************");
        }
        if (google != null) {
            log.info("Google sign-in on for client id(s) {}", access.googleClientIds());
        }
        if (!access.anySignIn()) {
            log.warn("NO SIGN-IN METHOD IS ON: every API call will answer 401. Set MUTEXIFY_GOOGLE_CLIENT_IDS,"
                    + " or MUTEXIFY_DEV_SIGNIN=true for a trial.");
        }
        return api.authenticator(new BearerAuthenticator(principals, google, signIns, keyCheck))
                .signInMethods(new SignInMethods(false, access.googleClientIds(), signIns != null))
                .devSignIn(signIns, principals);
    }
}
