package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

/** Sign-in steps shared by the access tests: dev sign-in, and API keys made by a signed-in person. */
final class SignIn {
    private SignIn() {
    }

    /** A dev sign-in token for {@code email}. */
    static String dev(TestServer server, String email) {
        TestHttp.Res r = server.http().post("/api/v1/auth/dev", "{\"email\":\"" + email + "\"}");
        assertThat(r.status()).as("dev sign-in of %s: %s", email, r.text()).isEqualTo(200);
        return r.json().path("token").asText();
    }

    /** A new API key made by the holder of {@code signIn}: {@code [id, key]}. */
    static String[] key(TestServer server, String signIn, String body) {
        TestHttp.Res r = server.as(signIn).post("/api/v1/keys", body);
        assertThat(r.status()).as("key creation: %s", r.text()).isEqualTo(201);
        JsonNode k = r.json();
        return new String[] {k.path("id").asText(), k.path("key").asText()};
    }
}
