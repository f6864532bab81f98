package io.mutexify.embedded.it;

import io.mutexify.frontface.auth.BadGoogleTokens;
import io.mutexify.frontface.auth.LocalGoogle;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;

/** A test class's server that signs example.com accounts in with ID tokens from a local Google (keys served over HTTP). */
abstract class WithGoogleServer extends WithTestServer {
    final LocalGoogle google = new LocalGoogle();

    @Override
    protected Map<String, String> serverSettings() {
        Map<String, String> settings = new HashMap<>(Map.of("MUTEXIFY_AUTH", "signin",
                "MUTEXIFY_GOOGLE_CLIENT_IDS", LocalGoogle.CLIENT_ID,
                "MUTEXIFY_GOOGLE_CERTS_URL", google.certsUrl(),
                "MUTEXIFY_ALLOWED_DOMAINS", "example.com"));
        settings.putAll(moreSettings());
        return settings;
    }

    /** Settings beyond sign-in with the local Google; they win over its defaults. */
    Map<String, String> moreSettings() {
        return Map.of();
    }

    /** A token for alice@example.com with {@code change} made to its claims. */
    String token(Consumer<Map<String, Object>> change) {
        return BadGoogleTokens.token(google, change);
    }

    @AfterAll
    @Override
    protected void stopServer() {
        super.stopServer();
        google.close();
    }
}
