package io.mutexify.frontface.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which ways to sign in are on, as {@code GET /api/v1/auth/config} tells the UI. */
public record SignInMethods(boolean open, List<String> googleClientIds, boolean dev) {
    public SignInMethods {
        googleClientIds = List.copyOf(googleClientIds);
    }

    public static SignInMethods openMode() {
        return new SignInMethods(true, List.of(), false);
    }

    public boolean google() {
        return !googleClientIds.isEmpty();
    }

    /** The body of {@code /api/v1/auth/config}: no secrets in it, it is public. */
    public Map<String, Object> describe() {
        List<String> methods = new ArrayList<>();
        if (open) {
            methods.add("open");
        } else {
            if (google()) {
                methods.add("google");
            }
            if (dev) {
                methods.add("dev");
            }
            methods.add("api_key");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("methods", methods);
        body.put("googleClientId", google() ? googleClientIds.get(0) : null);
        body.put("googleClientIds", googleClientIds);
        return body;
    }
}
