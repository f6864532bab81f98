package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is left behind: the files on disk, the log, caches between client and server, and what a
 * deleted slot leaves for whoever takes its id next.
 */
class HostileAtRestTest {
    @TempDir
    Path dir;

    @Test
    void theDataFolderAndItsFilesAreTheOwnersAlone() throws Exception {
        Path data = dir.resolve("data");
        try (TestServer server = TestServer.start(data, Map.of("MUTEXIFY_AUTH", "signin"))) {
            TestHttp alice = server.as(SignIn.dev(server, "alice@example.com"));
            assertThat(alice.post("/api/v1/locks/on-disk", "{}").status()).isEqualTo(200);
            assertOwnerOnly(data);
        }
        // Files an older version left readable by everyone are tightened on the next start.
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (var files = Files.list(data)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        try (TestServer again = TestServer.start(data, Map.of("MUTEXIFY_AUTH", "signin"))) {
            assertThat(again.as(SignIn.dev(again, "alice@example.com")).post("/api/v1/locks/on-disk-2", "{}").status()).isEqualTo(200);
            assertOwnerOnly(data);
        }
    }

    private static void assertOwnerOnly(Path data) throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).as("data folder").isEqualTo("rwx------");
        List<Path> files;
        try (var list = Files.list(data)) {
            files = list.toList();
        }
        assertThat(files.stream().map(p -> p.getFileName().toString()))
                .contains("mutexify.db", "mutexify.db-wal", "mutexify.db-shm", "session.key");
        for (Path f : files) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.getFileName().toString())
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void tokenBearingAnswersAreNotCached() {
        try (TestServer server = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin"))) {
            TestHttp.Res signIn = server.http().post("/api/v1/auth/dev", "{\"email\":\"alice@example.com\"}");
            assertThat(signIn.header("Cache-Control")).isEqualTo("no-store");
            TestHttp alice = server.as(signIn.json().path("token").asText());
            TestHttp.Res acquired = alice.post("/api/v1/locks/cached", "{}");
            String token = acquired.json().path("token").asText();
            for (TestHttp.Res r : List.of(acquired, alice.get("/api/v1/locks/cached/" + token),
                    alice.put("/api/v1/locks/cached/" + token, "{\"timeout\":120}"),
                    alice.get("/api/v1/requests/" + acquired.json().path("id").asText()),
                    alice.post("/api/v1/keys", "{\"name\":\"k\"}"), alice.get("/api/v1/me"), alice.get("/api/v1/slots"))) {
                assertThat(r.header("Cache-Control")).as("%s %s", r.raw().request().method(), r.raw().uri()).isEqualTo("no-store");
            }
        }
    }

    @Test
    void aDeletedSlotsHistoryAndRepliesAreNotTheNextRegistrantsToRead() {
        try (TestServer server = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin"))) {
            TestHttp alice = server.as(SignIn.dev(server, "alice@example.com"));
            TestHttp mallory = server.as(SignIn.dev(server, "mallory@example.com"));
            assertThat(alice.post("/api/v1/slots", "{\"id\":\"payroll\"}").status()).isEqualTo(201);
            TestHttp.Res held = alice.send("POST", "/api/v1/locks/payroll", "{\"owner\":\"secret-job\",\"metadata\":\"run 42\"}",
                    "Idempotency-Key", "payroll-run-42");
            assertThat(held.status()).isEqualTo(200);
            String requestId = held.json().path("id").asText();
            assertThat(alice.delete("/api/v1/locks/payroll/" + held.json().path("token").asText()).status()).isEqualTo(204);
            assertThat(alice.delete("/api/v1/slots/payroll").status()).isEqualTo(204);

            assertThat(mallory.get("/api/v1/requests/" + requestId).status()).as("while deleted").isEqualTo(404);
            assertThat(mallory.post("/api/v1/slots", "{\"id\":\"payroll\"}").status()).isEqualTo(201);
            JsonNode history = mallory.get("/api/v1/slots/payroll/history").json();
            assertThat(history.path("history")).as("the earlier slot's holds").isEmpty();
            TestHttp.Res reply = mallory.get("/api/v1/requests/" + requestId);
            assertThat(reply.status()).as("the earlier slot's reply: %s", reply.text()).isEqualTo(404);
            assertThat(reply.text()).doesNotContain("secret-job");
            // Her own holds of the new slot are hers to see.
            TestHttp.Res mine = mallory.post("/api/v1/locks/payroll", "{}");
            mallory.delete("/api/v1/locks/payroll/" + mine.json().path("token").asText());
            assertThat(mallory.get("/api/v1/slots/payroll/history").json().path("history")).hasSize(1);
            assertThat(mallory.get("/api/v1/requests/" + mine.json().path("id").asText()).status()).isEqualTo(200);
        }
    }

    @Test
    void aStrangersAcquireIsRefusedBeforeALimitCheckCouldNameTheSlotsSettings() {
        try (TestServer server = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin"))) {
            TestHttp alice = server.as(SignIn.dev(server, "alice@example.com"));
            assertThat(alice.post("/api/v1/slots", "{\"id\":\"private\",\"maxTimeout\":4321}").status()).isEqualTo(201);
            TestHttp.Res r = server.as(SignIn.dev(server, "mallory@example.com")).post("/api/v1/locks/private", "{\"timeout\":86400}");
            assertThat(r.status()).as(r.text()).isIn(403, 404);
            assertThat(r.text()).doesNotContain("4321");
        }
    }

    @Test
    void aLoggedValueCannotStartALineOfItsOwn() throws Exception {
        Path log = dir.resolve("server.log");
        try (ServerProcess server = ServerProcess.start(dir.resolve("data"), log, Map.of("MUTEXIFY_AUTH", "signin"))) {
            String forged = "eve\u2028forged\u2029entry@example.com";
            TestHttp.Res r = server.http().post("/api/v1/auth/dev", "{\"email\":\"" + forged + "\"}");
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(out).as("the log").contains("dev sign-in as eve\\u2028forged\\u2029entry@example.com")
                    .doesNotContain("\u2028").doesNotContain("\u2029");
        }
    }
}
