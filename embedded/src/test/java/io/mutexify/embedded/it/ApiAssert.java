package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

/** Assertions on API responses shared by the HTTP tests. */
final class ApiAssert {
    private ApiAssert() {
    }

    /** Asserts {@code status} and returns the JSON body. */
    static JsonNode ok(TestHttp.Res res, int status) {
        assertThat(res.status()).as("status of a call answering %s", res.text()).isEqualTo(status);
        return res.json();
    }

    /** Asserts a JSON error {@code {"error": code, "message": text}} with {@code status}; returns the body. */
    static JsonNode error(TestHttp.Res res, int status, String code) {
        assertThat(res.status()).as("status of a call answering %s", res.text()).isEqualTo(status);
        assertThat(res.header("Content-Type")).as("Content-Type").startsWith("application/json");
        JsonNode body = res.json();
        assertThat(body.path("error").asText()).as("error code in %s", res.text()).isEqualTo(code);
        assertThat(body.path("message").isTextual()).as("message in %s", res.text()).isTrue();
        assertThat(body.path("message").asText()).as("message in %s", res.text()).isNotBlank();
        return body;
    }
}
