package io.mutexify.frontface.auth;

import io.mutexify.frontface.http.ApiException;
import io.mutexify.frontface.http.ApiRequest;
import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.frontface.input.JsonBody;
import io.mutexify.model.auth.Identity;
import io.mutexify.model.text.LogText;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /api/v1/auth/config}, {@code /api/v1/auth/dev} and {@code /api/v1/me}: how to sign in, and who you are. */
public final class AuthRoutes {
    private static final Logger log = LoggerFactory.getLogger(AuthRoutes.class);
    private static final Set<String> DEV_FIELDS = Set.of("email");

    private final SignInMethods methods;
    private final SignInTokens devSignIns;
    private final Principals principals;
    private final DevSignInCallers devCallers;

    /** {@code devSignIns} null means the dev sign-in is off and its endpoint does not exist. */
    public AuthRoutes(SignInMethods methods, SignInTokens devSignIns, Principals principals, DevSignInCallers devCallers) {
        this.methods = methods;
        this.devSignIns = devSignIns;
        this.principals = principals;
        this.devCallers = devCallers;
    }

    public boolean devSignInOn() {
        return devSignIns != null;
    }

    public ApiResponse config() {
        return ApiResponse.json(200, methods.describe());
    }

    /** Signs in as whoever the caller says: only ever on when the operator asked for it. */
    public ApiResponse devSignIn(ApiRequest req) {
        devCallers.check(req);
        String raw = JsonBody.parse(req.body(), false, DEV_FIELDS).string("email", 254, true);
        String email = Principals.email(raw)
                .orElseThrow(() -> ApiException.badRequest("invalid_email", "email must be an e-mail address"));
        if (!principals.domainAllowed(email)) {
            throw ApiException.forbidden("domain_not_allowed", "addresses of that domain may not sign in here");
        }
        SignInTokens.Issued issued = devSignIns.issue(email);
        log.info("dev sign-in as {} from {}", LogText.escape(email), req.remoteAddress());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", issued.token());
        body.put("principal", email);
        body.put("expiresAt", issued.expiresAt());
        return ApiResponse.json(200, body).withHeader("Cache-Control", "no-store");
    }

    public ApiResponse me(Identity who) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("principal", who.principal());
        body.put("admin", who.actor().admin());
        body.put("method", who.method().wireName());
        if (who.keyId() != null) {
            body.put("keyId", who.keyId());
        }
        return ApiResponse.json(200, body);
    }
}
