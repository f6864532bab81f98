package io.mutexify.embedded;

import io.mutexify.frontface.access.AccessConfig;
import io.mutexify.frontface.routes.ApiRoutes;
import java.net.URI;

/** The few lines printed at start-up that tell a person how to sign in to this server, as configured. */
final class SignInHelp {
    private SignInHelp() {
    }

    static String text(URI url, AccessConfig access) {
        StringBuilder b = new StringBuilder();
        if (access.open()) {
            b.append("Open access: no sign-in, every caller is the administrator 'anonymous' (loopback only).\n");
            return b.toString();
        }
        if (access.devSignIn()) {
            b.append("Sign in (dev sign-in: any e-mail, this machine only):\n")
                    .append("  TOKEN=$(curl -s -X POST ").append(url).append(ApiRoutes.DEV_SIGN_IN).append(" -H 'Content-Type: application/json' -d '{\"email\":\"you@example.com\"}'")
                    .append(" | sed -E 's/.*\"token\":\"([^\"]+)\".*/\\1/')\n")
                    .append("  curl -H \"Authorization: Bearer $TOKEN\" ").append(url).append(ApiRoutes.ME).append("\n");
        }
        if (!access.googleClientIds().isEmpty()) {
            b.append("Sign in with Google: send the ID token as Authorization: Bearer <token>.\n");
        }
        if (access.anySignIn()) {
            b.append("For scripts and CI: curl -X POST ").append(url).append(ApiRoutes.KEYS).append(" -H \"Authorization: Bearer $TOKEN\"")
                    .append(" -H 'Content-Type: application/json' -d '{\"name\":\"ci\"}' makes an API key.\n");
        } else {
            b.append("No sign-in method is on: set MUTEXIFY_GOOGLE_CLIENT_IDS (see docs/access.md).\n");
        }
        return b.toString();
    }
}
