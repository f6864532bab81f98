package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.frontface.dispatch.RequestIds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint against every kind of caller, on a real server: the status each gets, and for
 * every refusal, that nothing changed (all slots with their state, the slot's history, the keys).
 * Each case runs on a fresh slot owned by alice, with bob a member and, where the call needs one,
 * a lock held by bob.
 */
class AuthMatrixHttpTest {
    private static final String ALICE = "alice@example.com";
    private static final String BOB = "bob@example.com";

    @TempDir
    static Path dir;
    private static TestServer server;
    private static final AtomicInteger serial = new AtomicInteger();
    /** Caller name → bearer credential (null: none). */
    private static final Map<String, String> callers = new java.util.LinkedHashMap<>();
    private static String aliceSession;
    private static String rootSession;

    /** The fresh state one case runs against. */
    private record Fixture(String slot, String lockToken, String requestId, String aliceKeyId) {
    }

    /** One endpoint: what it needs set up, the call, and the status each caller must get. */
    private record Endpoint(String name, boolean held, Function<Fixture, String[]> call, int[] expected) {
    }

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin", "MUTEXIFY_ADMINS", "root@example.com"));
        aliceSession = SignIn.dev(server, ALICE);
        rootSession = SignIn.dev(server, "root@example.com");
        String eveKey = SignIn.key(server, SignIn.dev(server, "eve@example.com"), "{\"name\":\"eve-ci\"}")[1];
        String[] revoked = SignIn.key(server, aliceSession, "{\"name\":\"old\"}");
        assertThat(server.as(aliceSession).delete("/api/v1/keys/" + revoked[0]).status()).isEqualTo(204);
        String expired = SignIn.key(server, aliceSession, "{\"name\":\"short\",\"expiresIn\":1}")[1];
        callers.put("anonymous", null);
        callers.put("non-member's key", eveKey);
        callers.put("member", SignIn.dev(server, BOB));
        callers.put("owner", aliceSession);
        callers.put("admin", rootSession);
        callers.put("revoked key", revoked[1]);
        callers.put("expired key", expired);
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> server.as(expired).get("/api/v1/me").status() == 401);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static int[] expect(int anonymous, int nonMember, int member, int owner, int admin) {
        return new int[] {anonymous, nonMember, member, owner, admin, 401, 401};
    }

    private static String[] call(String method, String path, String body) {
        return new String[] {method, path, body};
    }

    private static List<Endpoint> endpoints() {
        List<Endpoint> e = new ArrayList<>();
        e.add(new Endpoint("GET /me", false, f -> call("GET", "/api/v1/me", null), expect(401, 200, 200, 200, 200)));
        e.add(new Endpoint("GET /slots", false, f -> call("GET", "/api/v1/slots", null), expect(401, 200, 200, 200, 200)));
        e.add(new Endpoint("POST /slots", false, f -> call("POST", "/api/v1/slots", "{\"id\":\"" + f.slot() + "-new\"}"),
                expect(401, 201, 201, 201, 201)));
        e.add(new Endpoint("GET /slots/{id}", false, f -> call("GET", "/api/v1/slots/" + f.slot(), null),
                expect(401, 404, 200, 200, 200)));
        e.add(new Endpoint("GET /slots/{id} long-poll", false,
                f -> call("GET", "/api/v1/slots/" + f.slot() + "?index=1000&wait=50ms", null), expect(401, 404, 200, 200, 200)));
        e.add(new Endpoint("GET /slots/{id}/history", true, f -> call("GET", "/api/v1/slots/" + f.slot() + "/history", null),
                expect(401, 404, 200, 200, 200)));
        e.add(new Endpoint("PATCH /slots/{id}", false,
                f -> call("PATCH", "/api/v1/slots/" + f.slot(), "{\"description\":\"changed\"}"), expect(401, 403, 403, 200, 200)));
        e.add(new Endpoint("PATCH /slots/{id} members", false,
                f -> call("PATCH", "/api/v1/slots/" + f.slot(), "{\"members\":[\"eve@example.com\"]}"),
                expect(401, 403, 403, 200, 200)));
        e.add(new Endpoint("DELETE /slots/{id}", false, f -> call("DELETE", "/api/v1/slots/" + f.slot(), null),
                expect(401, 403, 403, 204, 204)));
        e.add(new Endpoint("POST /slots/{id}/break", true,
                f -> call("POST", "/api/v1/slots/" + f.slot() + "/break", "{\"reason\":\"matrix\"}"), expect(401, 403, 403, 200, 200)));
        e.add(new Endpoint("POST /locks/{id}", false, f -> call("POST", "/api/v1/locks/" + f.slot(), "{\"timeout\":30}"),
                expect(401, 403, 200, 200, 200)));
        e.add(new Endpoint("GET /locks/{id}", true, f -> call("GET", "/api/v1/locks/" + f.slot(), null),
                expect(401, 404, 200, 200, 200)));
        e.add(new Endpoint("GET /locks/{id}/{token}", true, f -> call("GET", "/api/v1/locks/" + f.slot() + "/" + f.lockToken(), null),
                expect(401, 404, 200, 200, 200)));
        e.add(new Endpoint("PUT /locks/{id}/{token}", true,
                f -> call("PUT", "/api/v1/locks/" + f.slot() + "/" + f.lockToken(), "{\"timeout\":600}"), expect(401, 403, 200, 200, 200)));
        e.add(new Endpoint("DELETE /locks/{id}/{token}", true,
                f -> call("DELETE", "/api/v1/locks/" + f.slot() + "/" + f.lockToken(), null), expect(401, 403, 204, 204, 204)));
        e.add(new Endpoint("GET /requests/{id}", true, f -> call("GET", "/api/v1/requests/" + f.requestId(), null),
                expect(401, 404, 200, 200, 200)));
        e.add(new Endpoint("GET /keys", false, f -> call("GET", "/api/v1/keys", null), expect(401, 403, 200, 200, 200)));
        e.add(new Endpoint("POST /keys", false, f -> call("POST", "/api/v1/keys", "{\"name\":\"matrix\"}"),
                expect(401, 403, 201, 201, 201)));
        e.add(new Endpoint("DELETE /keys/{alice's}", false, f -> call("DELETE", "/api/v1/keys/" + f.aliceKeyId(), null),
                expect(401, 403, 404, 204, 204)));
        return e;
    }

    @TestFactory
    Stream<DynamicTest> everyEndpointForEveryCaller() {
        List<String> names = new ArrayList<>(callers.keySet());
        return endpoints().stream().flatMap(ep -> names.stream().map(caller -> DynamicTest.dynamicTest(
                ep.name() + " as " + caller, () -> run(ep, caller, ep.expected()[names.indexOf(caller)]))));
    }

    private static void run(Endpoint ep, String caller, int expected) {
        Fixture f = fixture(ep.held(), ep.name().startsWith("DELETE /keys"));
        String[] c = ep.call().apply(f);
        String before = expected >= 400 ? snapshot(f.slot()) : null;
        TestHttp.Res r = server.http().withToken(callers.get(caller)).send(c[0], c[1], c[2]);

        assertThat(r.status()).as("%s as %s answered %s", ep.name(), caller, r.text()).isEqualTo(expected);
        if (expected >= 400) {
            ApiAssert.error(r, expected, r.json().path("error").asText());
            assertThat(snapshot(f.slot())).as("state after a refused %s as %s", ep.name(), caller).isEqualTo(before);
        }
        if (expected == 401) {
            assertThat(r.header("WWW-Authenticate")).startsWith("Bearer realm=\"mutexify\"");
        }
        if (ep.name().equals("GET /slots") && expected == 200) {
            boolean sees = !caller.equals("non-member's key");
            assertThat(r.text().contains("\"" + f.slot() + "\"")).as("%s listed for %s", f.slot(), caller).isEqualTo(sees);
        }
        if (ep.name().equals("GET /requests/{id}") && expected == 200) {
            boolean holder = caller.equals("member");
            assertThat(r.json().has("token")).as("the lock's token shown to %s", caller).isEqualTo(holder);
        }
    }

    /** A fresh slot owned by alice with bob as member; if {@code held}, bob holds it; if {@code key}, alice has a new key. */
    private static Fixture fixture(boolean held, boolean key) {
        String slot = "matrix-" + serial.incrementAndGet();
        TestHttp alice = server.as(aliceSession);
        assertThat(alice.post("/api/v1/slots", "{\"id\":\"" + slot + "\",\"members\":[\"" + BOB + "\"]}").status()).isEqualTo(201);
        String token = null;
        String rid = null;
        if (held) {
            String path = "/api/v1/locks/" + slot;
            TestHttp.Res lock = server.as(callers.get("member")).send("POST", path, "{\"timeout\":300}", "Idempotency-Key", "k-" + slot);
            assertThat(lock.status()).isEqualTo(200);
            token = lock.json().path("token").asText();
            rid = RequestIds.forCall("k-" + slot, BOB, "POST", path);
        }
        String keyId = key ? SignIn.key(server, aliceSession, "{\"name\":\"for-" + slot + "\"}")[0] : null;
        return new Fixture(slot, token, rid, keyId);
    }

    /** Everything a call could change, as the administrator and the key owners see it. */
    private static String snapshot(String slot) {
        TestHttp root = server.as(rootSession);
        return root.get("/api/v1/slots").text() + "\n" + root.get("/api/v1/slots/" + slot + "/history").text()
                + "\n" + server.as(aliceSession).get("/api/v1/keys").text()
                + "\n" + server.as(callers.get("member")).get("/api/v1/keys").text();
    }
}
