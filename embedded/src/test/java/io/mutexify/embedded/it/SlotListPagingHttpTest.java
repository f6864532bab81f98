package io.mutexify.embedded.it;

import static io.mutexify.embedded.it.ApiAssert.error;
import static io.mutexify.embedded.it.ApiAssert.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The slot list in pages over real HTTP: {@code ?limit}, {@code ?after}, the {@code next} cursor, and who sees what. */
class SlotListPagingHttpTest {
    @TempDir
    Path dir;

    @Test
    void pagesFollowTheNextCursorInIdOrderAndSkipDeletedSlots() {
        try (TestServer server = TestServer.start(dir)) {
            TestHttp http = server.http();
            List<String> ids = List.of("p-5", "p-1", "p-7", "p-3", "p-2", "p-6", "p-4");
            ids.forEach(id -> ok(http.post("/api/v1/slots", "{\"id\":\"" + id + "\"}"), 201));
            ok(http.delete("/api/v1/slots/p-6"), 204);

            List<String> seen = new ArrayList<>();
            String path = "/api/v1/slots?limit=3";
            int pages = 0;
            while (path != null) {
                TestHttp.Res res = http.get(path);
                JsonNode page = ok(res, 200);
                assertThat(page.path("slots").size()).isLessThanOrEqualTo(3);
                page.path("slots").forEach(s -> seen.add(s.path("id").asText()));
                String next = page.path("next").isNull() ? null : page.path("next").asText();
                if (next != null) {
                    assertThat(res.header("Link")).isEqualTo("</api/v1/slots?limit=3&after=" + next + ">; rel=\"next\"");
                    path = "/api/v1/slots?limit=3&after=" + next;
                } else {
                    assertThat(res.header("Link")).isNull();
                    path = null;
                }
                pages++;
            }
            assertThat(seen).containsExactly("p-1", "p-2", "p-3", "p-4", "p-5", "p-7");
            assertThat(pages).isEqualTo(3);

            // Without a limit the default page holds them all; after the last id nothing is left.
            assertThat(ok(http.get("/api/v1/slots"), 200).path("slots").findValuesAsText("id")).hasSize(6);
            JsonNode end = ok(http.get("/api/v1/slots?after=p-7"), 200);
            assertThat(end.path("slots").size()).isZero();
            assertThat(end.path("next").isNull()).isTrue();
            assertThat(ok(http.get("/api/v1/slots?after=p-2&limit=1"), 200).path("slots").findValuesAsText("id"))
                    .containsExactly("p-3");
        }
    }

    @Test
    void badLimitOrAfterIsA400ThatChangesNothing() {
        try (TestServer server = TestServer.start(dir)) {
            TestHttp http = server.http();
            for (String limit : List.of("0", "-1", "1001", "ten", "")) {
                error(http.get("/api/v1/slots?limit=" + limit), 400, "invalid_limit");
            }
            error(http.get("/api/v1/slots?after=%24catalog"), 400, "invalid_after");
            error(http.get("/api/v1/slots?after=a%20b"), 400, "invalid_after");
            ok(http.get("/api/v1/slots?limit=1000"), 200);
        }
    }

    @Test
    void aMemberPagesThroughOnlyTheSlotsItMaySeeAndItsOwnLocksComeFromItsHolds() {
        try (TestServer server = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin"))) {
            TestHttp alice = server.as(SignIn.dev(server, "alice@example.com"));
            TestHttp bob = server.as(SignIn.dev(server, "bob@example.com"));
            for (int i = 1; i <= 6; i++) {
                String members = i % 2 == 0 ? "[\"bob@example.com\"]" : "[]";
                ok(alice.post("/api/v1/slots", "{\"id\":\"s-" + i + "\",\"members\":" + members + "}"), 201);
            }
            JsonNode first = ok(bob.get("/api/v1/slots?limit=2"), 200);
            assertThat(first.path("slots").findValuesAsText("id")).containsExactly("s-2", "s-4");
            JsonNode second = ok(bob.get("/api/v1/slots?limit=2&after=" + first.path("next").asText()), 200);
            assertThat(second.path("slots").findValuesAsText("id")).containsExactly("s-6");
            assertThat(second.path("next").isNull()).isTrue();
            assertThat(ok(alice.get("/api/v1/slots"), 200).path("slots").size()).isEqualTo(6);

            // Withdrawn membership leaves bob's list at once.
            ok(alice.patch("/api/v1/slots/s-4", "{\"members\":[]}"), 200);
            assertThat(ok(bob.get("/api/v1/slots"), 200).path("slots").findValuesAsText("id")).containsExactly("s-2", "s-6");

            String token = ok(bob.post("/api/v1/locks/s-6", "{\"timeout\":60}"), 200).path("token").asText();
            assertThat(ok(bob.get("/api/v1/me/locks"), 200).path("locks").findValuesAsText("token")).containsExactly(token);
            assertThat(ok(alice.get("/api/v1/me/locks"), 200).path("locks").size()).isZero();
            ok(bob.delete("/api/v1/locks/s-6/" + token), 204);
            assertThat(ok(bob.get("/api/v1/me/locks"), 200).path("locks").size()).isZero();
        }
    }
}
