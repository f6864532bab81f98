package io.mutexify.embedded.it;

import io.mutexify.frontface.ui.Browser;
import java.util.Map;

/** A browser test class's server: sign-in required, with the dev sign-in, so a browser signs in by typing an address. */
abstract class WithSignInServer extends WithTestServer {
    @Override
    protected Map<String, String> serverSettings() {
        return Map.of("MUTEXIFY_AUTH", "signin", "MUTEXIFY_DEV_SIGNIN", "true");
    }

    /** A headless browser on the UI's page. */
    Browser openBrowser() {
        return Browser.open(server.url().resolve("/"));
    }
}
