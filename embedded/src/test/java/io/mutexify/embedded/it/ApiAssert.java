package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.mutexify.model.json.Json;

/** Assertions on API responses shared by the HTTP tests. */
final class ApiAssert {
    private ApiAssert() {
    }

    /** Asserts {@code status} and returns the JSON body. */
    static JsonNode ok(TestHttp.Res res, int status) {
        assertThat(res.status()).as("status of a call answering %s", res.text()).isEqualTo(status);
        return res.json();
    }

    /** Every slot the caller may see, following the list's {@code next} cursor page by page. */
    static ArrayNode allSlots(TestHttp http) {
        ArrayNode all = Json.mapper().createArrayNode();
        String after = "";
        do {
            JsonNode page = ok(http.get("/api/v1/slots?limit=1000&after=" + after), 200);
            page.path("slots").forEach(all::add);
            after = page.path("next").isTextual() ? page.path("next").asText() : null;
        } while (after != null);
        return all;
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
