package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.mutexify.frontface.dispatch.RequestIds;
import io.mutexify.frontface.routes.ApiRoutes;
import io.mutexify.frontface.routes.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/openapi.json} is an OpenAPI 3.1 document, the same as {@code docs/openapi.json}; its
 * paths and methods are the route table's, and every route's real responses (status and body) match
 * what it describes.
 */
class OpenApiContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE = "alice@example.com";
    private static final String BOB = "bob@example.com";

    private final List<String> problems = new ArrayList<>();
    private final Set<String> exercised = new LinkedHashSet<>();
    private JsonNode spec;

    @Test
    void everyRouteAnswersAsTheDescriptionSays(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin", "MUTEXIFY_DEV_SIGNIN", "true"))) {
            TestHttp anon = new TestHttp(server.url());
            TestHttp.Res doc = anon.get("/api/v1/openapi.json");
            assertThat(doc.status()).isEqualTo(200);
            spec = doc.json();
            assertThat(spec.get("openapi").asText()).startsWith("3.1.");
            assertThat(spec.get("info").get("title").asText()).isNotBlank();
            assertThat(spec.get("paths").size()).isGreaterThan(15);
            Path docs = Path.of(System.getProperty("user.dir")).resolve("../docs/openapi.json");
            assertThat(JSON.readTree(Files.readString(docs))).as("docs/openapi.json is the served document").isEqualTo(spec);
            check("/api/v1/openapi.json", "get", doc);

            String aliceSession = SignIn.dev(server, ALICE);
            TestHttp alice = server.as(aliceSession);
            TestHttp bob = server.as(SignIn.dev(server, BOB));

            // A long wait answers 202 after one call's limit (60 s and the reply timeout): start it now,
            // check everything else meanwhile, and look at it at the end.
            check("/api/v1/slots", "post", alice.post("/api/v1/slots", "{\"id\":\"oa-wait\",\"members\":[\"" + BOB + "\"]}"));
            check("/api/v1/locks/{slot}", "post", alice.post("/api/v1/locks/oa-wait", "{\"timeout\":600}"));
            java.util.concurrent.CompletableFuture<TestHttp.Res> longWait = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> bob.post("/api/v1/locks/oa-wait", "{\"wait\":3600}"));

            check("/healthz", "get", anon.get("/healthz"));
            check("/readyz", "get", anon.get("/readyz"));
            check("/api/v1/auth/config", "get", anon.get("/api/v1/auth/config"));
            check("/api/v1/auth/dev", "post", anon.post("/api/v1/auth/dev", "{\"email\":\"carol@example.com\"}"));
            check("/api/v1/auth/dev", "post", anon.post("/api/v1/auth/dev", "{\"email\":\"not an address\"}"));
            check("/api/v1/me", "get", alice.get("/api/v1/me"));
            TestHttp.Res unauthenticated = anon.get("/api/v1/me");
            assertThat(unauthenticated.json().get("message").asText()).contains("API keys page");
            check("/api/v1/me", "get", unauthenticated);

            TestHttp.Res key = alice.post("/api/v1/keys", "{\"name\":\"contract\"}");
            check("/api/v1/keys", "post", key);
            check("/api/v1/keys", "post", alice.post("/api/v1/keys", "{}"));
            check("/api/v1/keys", "get", alice.get("/api/v1/keys"));
            check("/api/v1/keys/{id}", "delete", alice.delete("/api/v1/keys/" + key.json().get("id").asText()));
            check("/api/v1/keys/{id}", "delete", alice.delete("/api/v1/keys/nope"));

            check("/api/v1/slots", "post", alice.post("/api/v1/slots", "{\"id\":\"oa\",\"members\":[\"" + BOB + "\"]}"));
            check("/api/v1/slots", "post", alice.post("/api/v1/slots", "{\"id\":\"oa\"}"));
            TestHttp.Res list = alice.get("/api/v1/slots");
            check("/api/v1/slots", "get", list);
            long ahead = list.json().get("index").asLong() + 1000;
            long t0 = System.nanoTime();
            check("/api/v1/slots", "get", alice.get("/api/v1/slots?index=" + ahead + "&wait=20s"));
            assertThat((System.nanoTime() - t0) / 1_000_000).as("an index ahead answers at once").isLessThan(5_000);
            check("/api/v1/slots", "get", alice.get("/api/v1/slots?index=x"));
            check("/api/v1/slots/{slot}", "get", alice.get("/api/v1/slots/oa"));
            check("/api/v1/slots/{slot}", "get", alice.get("/api/v1/slots/oa?index=999999&wait=20s"));
            TestHttp.Res hidden = server.as(SignIn.dev(server, "eve@example.com")).get("/api/v1/slots/oa");
            assertThat(hidden.json().get("message").asText()).contains("not found, or you are not a member");
            check("/api/v1/slots/{slot}", "get", hidden);
            check("/api/v1/slots/{slot}", "patch", alice.patch("/api/v1/slots/oa", "{\"name\":\"Contract slot\"}"));
            check("/api/v1/slots/{slot}", "patch", bob.patch("/api/v1/slots/oa", "{\"name\":\"mine now\"}"));

            TestHttp.Res lock = alice.send("POST", "/api/v1/locks/oa", "{\"timeout\":60,\"owner\":\"job-1\"}", "Idempotency-Key", "k-1");
            check("/api/v1/locks/{slot}", "post", lock);
            String token = lock.json().get("token").asText();
            check("/api/v1/locks/{slot}", "post", bob.post("/api/v1/locks/oa", "{\"wait\":0}"));
            check("/api/v1/locks/{slot}", "post", bob.post("/api/v1/locks/oa", "{\"wait\":\"soon\"}"));
            check("/api/v1/locks/{slot}", "get", bob.get("/api/v1/locks/oa"));
            check("/api/v1/locks/{slot}/{token}", "get", alice.get("/api/v1/locks/oa/" + token));
            check("/api/v1/locks/{slot}/{token}", "put", alice.put("/api/v1/locks/oa/" + token, "{\"timeout\":120}"));
            check("/api/v1/locks/{slot}/{token}", "put", alice.put("/api/v1/locks/oa/" + token, "{}"));
            TestHttp.Res own = alice.get("/api/v1/me/locks");
            check("/api/v1/me/locks", "get", own);
            assertThat(own.json().get("locks").get(0).get("token").asText()).isEqualTo(token);
            assertThat(bob.get("/api/v1/me/locks").json().get("locks")).as("another principal's tokens never show").isEmpty();

            String rid = RequestIds.forCall("k-1", ALICE, "POST", "/api/v1/locks/oa");
            check("/api/v1/requests/{id}", "get", alice.get("/api/v1/requests/" + rid));
            check("/api/v1/requests/{id}", "get", alice.get("/api/v1/requests/" + rid + "?wait=5s"));
            check("/api/v1/requests/{id}", "get", alice.get("/api/v1/requests/unknown-request"));
            check("/api/v1/requests/{id}", "delete", alice.delete("/api/v1/requests/" + rid));

            check("/api/v1/slots/{slot}/history", "get", alice.get("/api/v1/slots/oa/history"));
            check("/api/v1/slots/{slot}/break", "post", bob.post("/api/v1/slots/oa/break", "{}"));
            check("/api/v1/slots/{slot}/break", "post", alice.post("/api/v1/slots/oa/break", "{\"reason\":\"contract\"}"));
            check("/api/v1/locks/{slot}/{token}", "delete", alice.delete("/api/v1/locks/oa/" + token));
            check("/api/v1/locks/{slot}", "get", alice.get("/api/v1/locks/oa"));
            String again = alice.post("/api/v1/locks/oa", "{}").json().get("token").asText();
            check("/api/v1/slots/{slot}", "delete", alice.delete("/api/v1/slots/oa"));
            check("/api/v1/locks/{slot}/{token}", "delete", alice.delete("/api/v1/locks/oa/" + again));
            check("/api/v1/slots/{slot}/history", "get", alice.get("/api/v1/slots/oa/history"));
            check("/api/v1/slots/{slot}", "delete", alice.delete("/api/v1/slots/oa"));
            check("/api/v1/slots/{slot}", "delete", alice.delete("/api/v1/slots/oa"));

            // A pool: its settings in the slot, a unit per grant, every hold and what is available, a
            // break of one unit or one lock id, and the units in its history.
            check("/api/v1/slots", "post", alice.post("/api/v1/slots", "{\"id\":\"oa-pool\",\"units\":[\"u-1\",\"u-2\"],\"lockDelay\":1}"));
            TestHttp.Res first = alice.post("/api/v1/locks/oa-pool", "{\"unit\":\"u-1\",\"timeout\":60}");
            check("/api/v1/locks/{slot}", "post", first);
            assertThat(first.json().get("unit").asText()).isEqualTo("u-1");
            TestHttp.Res second = alice.post("/api/v1/locks/oa-pool", "{\"timeout\":60}");
            check("/api/v1/locks/{slot}", "post", second);
            TestHttp.Res pool = alice.get("/api/v1/slots/oa-pool");
            check("/api/v1/slots/{slot}", "get", pool);
            assertThat(pool.json().get("holds")).hasSize(2);
            assertThat(pool.json().get("available").asInt()).isZero();
            check("/api/v1/slots/{slot}", "patch", alice.patch("/api/v1/slots/oa-pool", "{\"units\":[\"u-1\",\"u-2\",\"u-3\"],\"lockDelay\":0}"));
            check("/api/v1/slots/{slot}/break", "post", alice.post("/api/v1/slots/oa-pool/break", "{\"unit\":\"u-1\"}"));
            check("/api/v1/slots/{slot}/break", "post",
                    alice.post("/api/v1/slots/oa-pool/break", "{\"lockId\":\"" + second.json().get("id").asText() + "\"}"));
            TestHttp.Res poolHistory = alice.get("/api/v1/slots/oa-pool/history");
            check("/api/v1/slots/{slot}/history", "get", poolHistory);
            assertThat(poolHistory.json().get("history").findValuesAsText("unit")).contains("u-1", "u-2");
            check("/api/v1/slots/{slot}", "delete", alice.delete("/api/v1/slots/oa-pool"));

            TestHttp.Res accepted = longWait.get(120, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(accepted.status()).isEqualTo(202);
            check("/api/v1/locks/{slot}", "post", accepted);
            String location = accepted.header("Location");
            check("/api/v1/requests/{id}", "get", bob.get(location + "?wait=1s"));
            check("/api/v1/requests/{id}", "delete", bob.delete(location));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> alice.get("/api/v1/slots/oa-wait").json().get("waiting").asInt() == 0); // out of the line
            // The cancelled wait's one final answer, as its caller's next poll gets it.
            TestHttp.Res cancelled = bob.get(location + "?wait=5s");
            check("/api/v1/requests/{id}", "get", cancelled);
            assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(409);
            assertThat(cancelled.json().path("message").asText()).contains("cancelled");
            assertThat(bob.get(location).text()).as("the same answer every time").isEqualTo(cancelled.text());
            assertThat(bob.delete(location).status()).as("answered already").isEqualTo(404);
        }
        Set<String> described = new LinkedHashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> p = spec.get("paths").fields(); p.hasNext(); ) {
            Map.Entry<String, JsonNode> e = p.next();
            e.getValue().fieldNames().forEachRemaining(m -> described.add(m.toUpperCase() + " " + e.getKey()));
        }
        Set<String> table = new LinkedHashSet<>();
        ApiRoutes.ALL.stream().filter(r -> r.kind() != Route.Kind.SITE).forEach(r -> table.add(r.method() + " " + r.template()));
        assertThat(described).as("the description's paths and methods are the route table's").containsExactlyInAnyOrderElementsOf(table);
        assertThat(exercised).as("every described route was called").containsAll(described);
        assertThat(problems).as("responses that do not match the description").isEmpty();
        // The checker itself catches a wrong body: a lock without its fields, a slot list that is not one.
        assertThat(errorsFor("/api/v1/locks/{slot}/{token}", "get", "200", "{\"id\":\"x\"}")).isNotEmpty();
        assertThat(errorsFor("/api/v1/slots", "get", "200", "{\"slots\":[{\"id\":1}],\"index\":0}")).isNotEmpty();
        System.out.printf("OpenAPI contract: %d routes, every response matched%n", described.size());
    }

    /** Checks that {@code res} is a documented answer of {@code method} on {@code path}, body included. */
    private void check(String path, String method, TestHttp.Res res) {
        exercised.add(method.toUpperCase() + " " + path);
        String where = method.toUpperCase() + " " + path + " -> " + res.status();
        JsonNode op = spec.path("paths").path(path).path(method);
        if (op.isMissingNode()) {
            problems.add(where + ": not described");
            return;
        }
        JsonNode response = op.path("responses").path(Integer.toString(res.status()));
        if (response.isMissingNode()) {
            problems.add(where + ": status not described; body " + res.text());
            return;
        }
        JsonNode schema = response.path("content").path("application/json").path("schema");
        byte[] body = res.raw().body();
        if (schema.isMissingNode()) {
            if (body.length > 0) {
                problems.add(where + ": described without a body, but one came: " + res.text());
            }
            return;
        }
        Set<ValidationMessage> errors = validate(schema, res.json());
        if (!errors.isEmpty()) {
            problems.add(where + ": " + errors + " in " + res.text());
        }
    }

    private Set<ValidationMessage> errorsFor(String path, String method, String status, String body) throws Exception {
        JsonNode schema = spec.path("paths").path(path).path(method).path("responses").path(status)
                .path("content").path("application/json").path("schema");
        return validate(schema, JSON.readTree(body));
    }

    /** The response's schema with the document's components beside it, so its $refs resolve. */
    private Set<ValidationMessage> validate(JsonNode schema, JsonNode body) {
        ObjectNode root = (ObjectNode) schema.deepCopy();
        root.set("components", spec.get("components"));
        JsonSchema validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
        return validator.validate(body);
    }
}
