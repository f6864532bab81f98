package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.model.json.Json;
import io.mutexify.model.slot.Limits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input contract against a running server that holds state: every bad request gets a 4xx
 * (the specific one where the contract names it) with a JSON {@code {"error", "message"}} body, and
 * changes nothing — the slot list (versions included), each slot's detail and history, and the held
 * lock are byte-for-byte the same before and after. No request may produce a 5xx.
 *
 * <p>State: {@code busy} is held (token {@code {T}} in paths, timeout 3600 s, one extend, one
 * earlier release in its history); {@code idle} is free with two releases in its history;
 * {@code capped} is registered with maxTimeout 60; {@code fresh} is not registered. Requests that
 * would change state if their validation were missing are aimed at the free slots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputHttpTest {
    private static final String T = "{T}";
    private static final String L = "/api/v1/locks/";
    private static final String S = "/api/v1/slots";
    private static final String[] KNOWN_SLOTS = {"busy", "idle", "capped"};

    @TempDir
    static Path dir;
    static TestServer server;
    static TestHttp http;
    static RawHttp raw;
    static String token;
    static String before;

    @BeforeAll
    static void startServerWithState() {
        server = TestServer.start(dir);
        http = server.http();
        raw = new RawHttp(server.url());

        expect(http.post(S, "{\"id\":\"capped\",\"name\":\"Capped\",\"maxTimeout\":60,\"defaultTimeout\":30}"), 201);
        for (int i = 0; i < 2; i++) {
            String t = expect(http.post(L + "idle", "{\"owner\":\"job-" + i + "\",\"timeout\":600}"), 200).json().get("token").asText();
            expect(http.delete(L + "idle/" + t), 204);
        }
        String first = expect(http.post(L + "busy", "{\"owner\":\"first\",\"timeout\":600}"), 200).json().get("token").asText();
        expect(http.delete(L + "busy/" + first), 204);
        token = expect(http.post(L + "busy", "{\"owner\":\"holder\",\"timeout\":3600,\"metadata\":[\"m1\",\"m2\"]}"), 200)
                .json().get("token").asText();
        expect(http.put(L + "busy/" + token, "{\"timeout\":7200}"), 200);
        // Watchers are told of a commit just after its reply is sent: let the global index settle.
        before = await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).atMost(Duration.ofSeconds(10))
                .until(BadInputHttpTest::settledSnapshot, Objects::nonNull);
        assertThat(before).contains("\"busy\"", "\"idle\"", "\"capped\"", "\"held\"");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    @Order(1)
    void badInputGetsA4xxJsonErrorAndChangesNothing(Case c) {
        Answer a = send(c);
        String what = c + " -> " + a.status + " " + a.contentType + " " + new String(a.body, StandardCharsets.UTF_8);
        assertThat(a.status).as(what).isBetween(400, 499).isEqualTo(c.status);
        assertThat(a.contentType).as(what).isNotNull();
        assertThat(a.contentType.replace(" ", "").toLowerCase(Locale.ROOT)).as(what).startsWith("application/json");
        JsonNode body;
        try {
            body = Json.mapper().readTree(a.body);
        } catch (IOException e) {
            throw new AssertionError("body is not JSON: " + what, e);
        }
        assertThat(body != null && body.isObject()).as(what).isTrue();
        assertThat(body.path("error").isTextual()).as(what).isTrue();
        assertThat(body.path("error").asText()).as(what).isNotBlank();
        assertThat(body.path("message").isTextual()).as(what).isTrue();
        assertThat(body.path("message").asText()).as(what).isNotBlank();
        if (c.status == 405) {
            assertThat(a.allow).as(what + " Allow").isEqualTo(c.allow);
        }
        assertThat(snapshot()).as("state after " + c).isEqualTo(before);
    }

    @Test
    @Order(3)
    void stateIsStillUnchangedAfterTheWholeMatrixAndTheLockStillWorks() {
        assertThat(snapshot()).isEqualTo(before);
        // The held lock is intact and usable: its holder can still release it.
        expect(http.delete(L + "busy/" + token), 204);
        assertThat(http.get(L + "busy").status()).isEqualTo(404);
    }

    /**
     * An HTTP version Jetty does not speak is a 505: the one 5xx a malformed request can get, because
     * HTTP itself prescribes it. It carries the JSON error body all the same, and changes nothing.
     */
    @Test
    @Order(2)
    void anUnsupportedHttpVersionIsA505WithAJsonBody() {
        for (String line : new String[] {"GET /api/v1/slots HTTP/9.9", "POST /api/v1/locks/idle HTTP/1.2", "GET /api/v1/slots FOO/1.1"}) {
            RawHttp.Res r = raw.sendRaw((line + "\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(r.status()).as(line).isEqualTo(505);
            assertThat(r.header("Content-Type").replace(" ", "")).as(line).startsWith("application/json");
            assertThat(r.json().path("error").asText()).as(line).isEqualTo("http_version_not_supported");
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    // ---- the matrix ------------------------------------------------------------------------------

    static Stream<Case> cases() {
        List<Case> all = new ArrayList<>();
        malformedJson(all);
        wrongTypesAndLimits(all);
        bodyTooLarge(all);
        badSlotIdsInPaths(all);
        badSlotIdsInBodies(all);
        tokens(all);
        wrongMethods(all);
        unknownRoutes(all);
        slotBodies(all);
        queryParams(all);
        idempotencyKeys(all);
        protocol(all);
        conflictsThatChangeNothing(all);
        return all.stream();
    }

    private static void malformedJson(List<Case> all) {
        String[] bodies = {
            "{\"timeout\":10", "{\"timeout\":", "{", "{\"owner\":\"x", "{\"timeout\":10}x", "{\"timeout\":10}{}",
            "{\"timeout\":10} 5", "[]", "[{\"timeout\":10}]", "\"timeout\"", "5", "null", "true",
            "{\"timeout\":10,\"timeout\":20}", "{\"owner\":\"a\",\"owner\":\"a\"}", "{'timeout':10}", "{timeout:10}",
            "{\"timeout\":10,}", "/*c*/{\"timeout\":10}", "{\"timeout\":NaN}", "{\"timeout\":Infinity}",
            "{\"timeout\":010}", "{\"timeout\":0x10}", "{\"owner\":\"a\u0001b\"}", "\u0000",
        };
        for (String b : bodies) {
            all.add(req("acquire malformed " + b, "POST", L + "idle", b, 400));
            all.add(req("acquire malformed on unregistered " + b, "POST", L + "fresh", b, 400));
        }
        // Invalid UTF-8 inside a JSON string.
        all.add(reqBytes("acquire invalid UTF-8", "POST", L + "idle",
                concat("{\"owner\":\"".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xff, (byte) 0xfe},
                        "\"}".getBytes(StandardCharsets.US_ASCII)), 400));
        String[] extendBodies = {"", " ", "{\"timeout\":10", "[]", "null", "5", "{\"timeout\":60,\"timeout\":60}", "{\"timeout\":60}x"};
        for (String b : extendBodies) {
            all.add(req("extend malformed '" + b + "'", "PUT", L + "busy/" + T, b, 400));
        }
        for (String b : new String[] {"", "[]", "{\"id\":\"n1\"", "{\"id\":\"n1\",\"id\":\"n2\"}", "\"n1\"", "null"}) {
            all.add(req("register malformed '" + b + "'", "POST", S, b, 400));
            all.add(req("patch malformed '" + b + "'", "PATCH", S + "/capped", b, 400));
        }
        for (String b : new String[] {"[]", "{\"reason\":\"x\"", "\"x\"", "{\"reason\":\"a\",\"reason\":\"b\"}"}) {
            all.add(req("break malformed '" + b + "'", "POST", S + "/busy/break", b, 400));
        }
    }

    private static void wrongTypesAndLimits(List<Case> all) {
        String[] acquire = {
            // timeout
            "{\"timeout\":\"10\"}", "{\"timeout\":1.5}", "{\"timeout\":10.0}", "{\"timeout\":true}", "{\"timeout\":{}}",
            "{\"timeout\":[]}", "{\"timeout\":[10]}", "{\"timeout\":0}", "{\"timeout\":-0}", "{\"timeout\":-1}",
            "{\"timeout\":2592001}", "{\"timeout\":2147483648}", "{\"timeout\":-2147483649}", "{\"timeout\":1e30}",
            "{\"timeout\":1e2}", "{\"timeout\":99999999999999999999}", "{\"timeout\":-99999999999999999999}",
            // wait
            "{\"wait\":\"5\"}", "{\"wait\":-1}", "{\"wait\":86401}", "{\"wait\":1.5}", "{\"wait\":true}", "{\"wait\":[]}",
            "{\"wait\":99999999999999999999}",
            // owner
            "{\"owner\":5}", "{\"owner\":\"\"}", "{\"owner\":\"   \"}", "{\"owner\":\"" + "o".repeat(257) + "\"}",
            "{\"owner\":\"" + "\u00e9".repeat(257) + "\"}", "{\"owner\":\"a\\u0001b\"}", "{\"owner\":\"a\\nb\"}",
            "{\"owner\":\"a\\u007fb\"}", "{\"owner\":\"a\\u0000\"}", "{\"owner\":true}", "{\"owner\":[\"x\"]}",
            "{\"owner\":{}}",
            // metadata
            "{\"metadata\":5}", "{\"metadata\":{\"a\":1}}", "{\"metadata\":[1]}", "{\"metadata\":[null]}",
            "{\"metadata\":[\"a\",5]}", "{\"metadata\":[[\"a\"]]}", "{\"metadata\":true}",
            "{\"metadata\":\"" + "m".repeat(4097) + "\"}",
            "{\"metadata\":[\"" + "m".repeat(2100) + "\",\"" + "n".repeat(2100) + "\"]}",
            "{\"metadata\":[" + String.join(",", java.util.Collections.nCopies(1025, "\"abcd\"")) + "]}",
            "{\"metadata\":\"" + "\u00e9".repeat(2049) + "\"}",
            // unknown fields
            "{\"timeout\":10,\"foo\":1}", "{\"Timeout\":10}", "{\"token\":\"x\"}", "{\"fence\":1}", "{\"\":1}",
            "{\"timeout\":10,\"expireAt\":\"2030-01-01T00:00:00Z\"}",
        };
        for (String b : acquire) {
            all.add(req("acquire " + abbreviate(b), "POST", L + "idle", b, 400));
        }
        for (String b : new String[] {"{\"timeout\":0}", "{\"owner\":\"\"}", "{\"metadata\":[1]}", "{\"wait\":86401}",
            "{\"timeout\":86401}", "{\"timeout\":2592000}", "{\"x\":1}"}) {
            all.add(req("acquire on unregistered " + b, "POST", L + "fresh", b, 400));
        }
        // The slot's own maxTimeout (60): refused by the Lockkeeper, not clamped.
        all.add(req("acquire timeout 61 > slot maxTimeout 60", "POST", L + "capped", "{\"timeout\":61}", 400));
        all.add(req("acquire timeout 3600 > slot maxTimeout 60", "POST", L + "capped", "{\"timeout\":3600,\"owner\":\"x\"}", 400));
        all.add(req("acquire timeout 86401 > default maxTimeout", "POST", L + "idle", "{\"timeout\":86401}", 400));
        String[] extend = {
            "{}", "{\"timeout\":null}", "{\"timeout\":\"10\"}", "{\"timeout\":1.5}", "{\"timeout\":true}",
            "{\"timeout\":{}}", "{\"timeout\":[]}", "{\"timeout\":0}", "{\"timeout\":-1}", "{\"timeout\":2592001}",
            "{\"timeout\":86401}", "{\"timeout\":1e30}", "{\"timeout\":99999999999999999999}",
            "{\"timeout\":60,\"owner\":\"x\"}", "{\"timeout\":60,\"wait\":1}", "{\"owner\":\"x\"}",
        };
        for (String b : extend) {
            all.add(req("extend " + b, "PUT", L + "busy/" + T, b, 400));
        }
    }

    private static void bodyTooLarge(List<Case> all) {
        String padded = "{\"timeout\":10" + " ".repeat(Limits.MAX_BODY_BYTES + 16) + "}";
        String bigMeta = "{\"metadata\":\"" + "m".repeat(70_000) + "\"}";
        all.add(req("acquire body over 64 KiB (whitespace)", "POST", L + "idle", padded, 413));
        all.add(req("acquire body over 64 KiB (metadata)", "POST", L + "idle", bigMeta, 413));
        all.add(req("acquire body over 64 KiB on unregistered", "POST", L + "fresh", padded, 413));
        all.add(req("acquire body 200 KB", "POST", L + "idle", "{\"timeout\":10" + " ".repeat(200_000) + "}", 413));
        all.add(req("extend body over 64 KiB", "PUT", L + "busy/" + T, "{\"timeout\":60" + " ".repeat(Limits.MAX_BODY_BYTES) + "}", 413));
        all.add(req("register body over 64 KiB", "POST", S, "{\"id\":\"big\"" + " ".repeat(Limits.MAX_BODY_BYTES) + "}", 413));
        all.add(req("patch body over 64 KiB", "PATCH", S + "/capped", "{\"name\":\"n\"" + " ".repeat(Limits.MAX_BODY_BYTES) + "}", 413));
        all.add(req("break body over 64 KiB", "POST", S + "/busy/break", "{\"reason\":\"r\"" + " ".repeat(Limits.MAX_BODY_BYTES) + "}", 413));
        all.add(chunked("acquire chunked body just over 64 KiB", "POST", L + "idle", "{\"timeout\":10" + " ".repeat(Limits.MAX_BODY_BYTES) + "}", 413));
        all.add(chunked("acquire chunked body 200 KB", "POST", L + "idle", "{\"timeout\":10" + " ".repeat(200_000) + "}", 413));
        all.add(chunked("extend chunked body 200 KB", "PUT", L + "busy/" + T, "{\"timeout\":60" + " ".repeat(200_000) + "}", 413));
    }

    /** Bad slot ids, as raw path segments, on every route that takes one; all 400. */
    private static void badSlotIdsInPaths(List<Case> all) {
        record Id(String label, String segment, boolean rawOnly) {
        }
        List<Id> ids = List.of(
                new Id("empty", "", false),
                new Id("129 chars", "a".repeat(129), false),
                new Id("%2F", "a%2Fb", false),
                new Id("..", "..", false),
                new Id(".", ".", false),
                new Id("%2E%2E", "%2E%2E", false),
                new Id("%00", "a%00b", false),
                new Id("%01", "a%01b", false),
                new Id("%0A", "a%0Ab", false),
                new Id("%0D%0A", "a%0D%0Ab", false),
                new Id("%7F", "a%7Fb", false),
                new Id("%20", "a%20b", false),
                new Id("%5C", "a%5Cb", false),
                new Id("unicode escaped", "%C3%A9t%C3%A9", false),
                new Id("unicode raw UTF-8", RawHttp.utf8Bytes("\u00e9t\u00e9"), true),
                new Id("emoji raw UTF-8", RawHttp.utf8Bytes("lock\uD83D\uDD12"), true),
                new Id("raw byte that is not UTF-8", "\u00e9t\u00e9", true),
                new Id("raw space", "a b", true),
                new Id("raw tab", "a\tb", true),
                new Id("bad escape %ZZ", "a%ZZ", true),
                new Id("truncated escape", "a%", true),
                new Id("semicolon", "a;b", false),
                new Id("asterisk", "a*b", false),
                new Id("plus", "a+b", false),
                new Id("at", "a@b", false),
                new Id("tilde", "a~b", false));
        for (Id id : ids) {
            String x = id.segment;
            List<Case> routes = List.of(
                    req("acquire", "POST", L + x, "{\"timeout\":10}", 400),
                    req("status", "GET", L + x, null, 400),
                    req("get lock", "GET", L + x + "/" + T, null, 400),
                    req("extend", "PUT", L + x + "/" + T, "{\"timeout\":60}", 400),
                    req("release", "DELETE", L + x + "/" + T, null, 400),
                    req("slot detail", "GET", S + "/" + x, null, 400),
                    req("patch slot", "PATCH", S + "/" + x, "{\"name\":\"n\"}", 400),
                    req("delete slot", "DELETE", S + "/" + x, null, 400),
                    req("break", "POST", S + "/" + x + "/break", "{}", 400),
                    req("history", "GET", S + "/" + x + "/history", null, 400));
            for (Case r : routes) {
                Case named = r.named(r.name + " with slot id " + id.label);
                all.add(id.rawOnly ? named.overRaw() : named);
            }
        }
        // Paths that climb above the root: Jetty refuses them before the API sees them.
        all.add(req("acquire ../../..", "POST", L + "../../../../x", "{\"timeout\":10}", 400).overRaw());
        all.add(req("get /../..", "GET", "/../../api/v1/slots", null, 400).overRaw());
        all.add(req("get %2e%2e climbing", "GET", L + "%2e%2e/%2e%2e/%2e%2e/%2e%2e", null, 400));
    }

    private static void badSlotIdsInBodies(List<Case> all) {
        String[] ids = {"\"\"", "\"" + "a".repeat(129) + "\"", "\"a/b\"", "\"..\"", "\".\"", "\"a\\u0000b\"",
            "\"a\\u0001b\"", "\"a\\nb\"", "\"a b\"", "\"\u00e9t\u00e9\"", "\"a;b\"", "\"a%2Fb\"", "5", "true", "[]",
            "{}", "[\"a\"]", "null"};
        for (String id : ids) {
            all.add(req("register id " + abbreviate(id), "POST", S, "{\"id\":" + id + "}", 400));
        }
        all.add(req("register without id", "POST", S, "{\"name\":\"n\"}", 400));
        all.add(req("register empty object", "POST", S, "{}", 400));
    }

    private static void tokens(List<Case> all) {
        // Token-shaped but not the holder's, or not shaped like a token at all: 404, as if unknown.
        String[] odd = {"unknown-token", T + "x", "x" + T, "a".repeat(129), "a".repeat(1000), "..", ".", "a.b",
            "a%2Fb", "%2E%2E", "a%20b", "a%0Ab", "a%7F", "%C3%A9", "a;b", "a*b", "a+b", "~", "a%2B"};
        for (String t : odd) {
            all.add(req("get lock with token " + abbreviate(t), "GET", L + "busy/" + t, null, 404));
            all.add(req("extend with token " + abbreviate(t), "PUT", L + "busy/" + t, "{\"timeout\":60}", 404));
            all.add(req("release with token " + abbreviate(t), "DELETE", L + "busy/" + t, null, 404));
        }
        all.add(req("get lock with empty token", "GET", L + "busy/", null, 404));
        all.add(req("release with empty token", "DELETE", L + "busy/", null, 404));
        all.add(req("extend with empty token", "PUT", L + "busy/", "{\"timeout\":60}", 404));
        // The holder's token on another slot, registered or not.
        for (String slot : new String[] {"idle", "capped", "fresh"}) {
            all.add(req("get " + slot + " with busy's token", "GET", L + slot + "/" + T, null, 404));
            all.add(req("extend " + slot + " with busy's token", "PUT", L + slot + "/" + T, "{\"timeout\":60}", 404));
            all.add(req("release " + slot + " with busy's token", "DELETE", L + slot + "/" + T, null, 404));
        }
        // Tokens Jetty cannot even parse: a 400, still JSON.
        all.add(req("get lock with token %00", "GET", L + "busy/a%00", null, 400));
        all.add(req("release with token %00", "DELETE", L + "busy/%00", null, 400));
        // Raw UTF-8 in the path reaches the API (a token it never issued: 404); a byte that is not UTF-8 does not.
        all.add(req("release with raw UTF-8 token", "DELETE", L + "busy/" + RawHttp.utf8Bytes("t\u00f6ken"), null, 404).overRaw());
        all.add(req("get lock with raw UTF-8 token", "GET", L + "busy/" + RawHttp.utf8Bytes("\u00e9"), null, 404).overRaw());
        all.add(req("release with raw invalid UTF-8 token", "DELETE", L + "busy/t\u00f6ken", null, 400).overRaw());
        all.add(req("extend with bad escape token", "PUT", L + "busy/a%G1", "{\"timeout\":60}", 400).overRaw());
        // Unknown request ids.
        for (String id : new String[] {"r-unknown", "k-unknown", "x", "..", "r-" + "a".repeat(100), "r-a%2Fb"}) {
            all.add(req("request " + abbreviate(id), "GET", "/api/v1/requests/" + id, null, 404));
        }
        all.add(req("request %00", "GET", "/api/v1/requests/r-%00", null, 400));
        all.add(req("cancel an unknown long wait", "DELETE", "/api/v1/requests/r-unknown", null, 404));
        all.add(req("request wait over 60 s", "GET", "/api/v1/requests/r-unknown?wait=61s", null, 400));
        // Unregistered slots.
        all.add(req("detail of unregistered", "GET", S + "/fresh", null, 404));
        all.add(req("history of unregistered", "GET", S + "/fresh/history", null, 404));
        all.add(req("status of free slot", "GET", L + "idle", null, 404));
        all.add(req("status of unregistered slot", "GET", L + "fresh", null, 404));
        all.add(req("patch unregistered", "PATCH", S + "/fresh", "{\"name\":\"n\"}", 404));
        all.add(req("delete unregistered", "DELETE", S + "/fresh", null, 404));
        all.add(req("break unregistered", "POST", S + "/fresh/break", "{}", 404));
        all.add(req("break free slot", "POST", S + "/idle/break", "{}", 404));
    }

    private static void wrongMethods(List<Case> all) {
        record Route(String path, String allow, String[] wrong) {
        }
        List<Route> routes = List.of(
                new Route(L + "busy", "GET, POST", new String[] {"PUT", "DELETE", "PATCH", "OPTIONS"}),
                new Route(L + "busy/" + T, "GET, PUT, DELETE", new String[] {"POST", "PATCH", "OPTIONS"}),
                new Route(S, "GET, POST", new String[] {"PUT", "DELETE", "PATCH", "OPTIONS"}),
                new Route(S + "/busy", "GET, PATCH, DELETE", new String[] {"POST", "PUT", "OPTIONS"}),
                new Route(S + "/busy/break", "POST", new String[] {"GET", "PUT", "DELETE", "PATCH"}),
                new Route(S + "/busy/history", "GET", new String[] {"POST", "PUT", "DELETE", "PATCH"}),
                new Route("/api/v1/requests/r-unknown", "GET, DELETE", new String[] {"POST", "PUT"}),
                new Route("/healthz", "GET", new String[] {"POST", "DELETE"}),
                new Route("/readyz", "GET", new String[] {"POST", "PUT"}),
                new Route("/metrics", "GET", new String[] {"POST", "DELETE"}));
        for (Route r : routes) {
            for (String m : r.wrong) {
                String body = m.equals("POST") || m.equals("PUT") || m.equals("PATCH") ? "{\"timeout\":10}" : null;
                all.add(req(m + " " + r.path, m, r.path, body, 405).allow(r.allow));
            }
            // Methods java.net.http will not send, or Jetty has no name for.
            for (String m : new String[] {"TRACE", "CONNECT", "PROPFIND", "FOO"}) {
                all.add(req(m + " " + r.path, m, r.path, null, 405).allow(r.allow).overRaw());
            }
        }
    }

    private static void unknownRoutes(List<Case> all) {
        // "/" is the web UI (UiHttpTest); a file the UI does not have is a 404 like any unknown route.
        String[] paths = {"/ui/nope.js", "/api", "/api/v1", "/api/v1/", "/api/v2/locks/idle", "/api/v1/nope", "/api/v1/lock/idle",
            "/API/V1/locks/idle", "/api/v1/locks", L + "busy/" + T + "/extra", L + "idle/a/b/c", S + "/busy/nope",
            S + "/busy/history/x", S + "/busy/break/x", "/api/v1/requests", "/api/v1/requests/a/b", "/favicon.ico",
            "/healthz/x", "/metrics/x", "/index.html", "/api/v1/slots/busy/history/", "/api/v1/locks/idle/t/"};
        for (String p : paths) {
            all.add(req("GET " + p, "GET", p, null, 404));
        }
        all.add(req("POST unknown route with a body", "POST", "/api/v1/nope", "{\"timeout\":10}", 404));
        all.add(req("DELETE unknown route", "DELETE", "/api/v1/locks/idle/a/b", null, 404));
        all.add(req("PROPFIND unknown route", "PROPFIND", "/nope", null, 404).overRaw());
    }

    private static void slotBodies(List<Case> all) {
        String[] create = {
            "{\"id\":\"n1\",\"owners\":\"anonymous\"}", "{\"id\":\"n1\",\"owners\":[5]}", "{\"id\":\"n1\",\"owners\":[\"\"]}",
            "{\"id\":\"n1\",\"owners\":[\"a\\u0001\"]}", "{\"id\":\"n1\",\"owners\":[null]}", "{\"id\":\"n1\",\"owners\":[]}",
            "{\"id\":\"n1\",\"owners\":[\"" + "o".repeat(257) + "\"]}", "{\"id\":\"n1\",\"owners\":{}}",
            "{\"id\":\"n1\",\"owners\":[" + String.join(",", java.util.Collections.nCopies(101, "\"o\"")) + "]}",
            "{\"id\":\"n1\",\"members\":\"m\"}", "{\"id\":\"n1\",\"members\":[1]}", "{\"id\":\"n1\",\"members\":[[]]}",
            "{\"id\":\"n1\",\"members\":{\"a\":1}}", "{\"id\":\"n1\",\"members\":[\"a\\nb\"]}",
            "{\"id\":\"n1\",\"defaultTimeout\":120,\"maxTimeout\":60}", "{\"id\":\"n1\",\"defaultTimeout\":100000}",
            "{\"id\":\"n1\",\"maxTimeout\":2592001}", "{\"id\":\"n1\",\"maxTimeout\":0}", "{\"id\":\"n1\",\"maxTimeout\":-5}",
            "{\"id\":\"n1\",\"defaultTimeout\":0}", "{\"id\":\"n1\",\"defaultTimeout\":\"5\"}", "{\"id\":\"n1\",\"maxTimeout\":1.5}",
            "{\"id\":\"n1\",\"maxTimeout\":1e30}", "{\"id\":\"n1\",\"defaultTimeout\":99999999999999999999}",
            "{\"id\":\"n1\",\"name\":5}", "{\"id\":\"n1\",\"name\":[\"n\"]}", "{\"id\":\"n1\",\"name\":\"" + "n".repeat(257) + "\"}",
            "{\"id\":\"n1\",\"description\":\"" + "d".repeat(4097) + "\"}", "{\"id\":\"n1\",\"description\":{}}",
            "{\"id\":\"n1\",\"unknown\":1}", "{\"id\":\"n1\",\"fence\":100}", "{\"id\":\"n1\",\"version\":1}",
            "{\"id\":\"n1\",\"state\":\"held\"}",
        };
        for (String b : create) {
            all.add(req("register " + abbreviate(b), "POST", S, b, 400));
        }
        String[] patch = {
            "{}x", "{\"maxTimeout\":10}", "{\"defaultTimeout\":61}", "{\"owners\":[]}", "{\"id\":\"capped\"}",
            "{\"name\":5}", "{\"maxTimeout\":-1}", "{\"maxTimeout\":2592001}", "{\"members\":\"x\"}",
            "{\"defaultTimeout\":1.5}", "{\"defaultTimeout\":\"30\"}", "{\"owners\":[\"\"]}", "{\"owners\":\"anonymous\"}",
            "{\"name\":\"" + "n".repeat(257) + "\"}", "{\"description\":5}", "{\"nope\":1}",
            "{\"maxTimeout\":99999999999999999999}", "{\"defaultTimeout\":0}",
        };
        for (String b : patch) {
            all.add(req("patch " + abbreviate(b), "PATCH", S + "/capped", b, 400));
        }
        all.add(req("patch held slot's maxTimeout below its default", "PATCH", S + "/busy", "{\"maxTimeout\":30}", 400));
        for (String b : new String[] {"{\"reason\":5}", "{\"reason\":\"" + "r".repeat(513) + "\"}", "{\"why\":\"x\"}",
            "{\"reason\":[\"x\"]}", "{\"reason\":{}}"}) {
            all.add(req("break " + abbreviate(b), "POST", S + "/busy/break", b, 400));
        }
    }

    private static void queryParams(List<Case> all) {
        String[] slotQueries = {"index=-1", "index=abc", "index=1.5", "index=", "index=99999999999999999999", "index=0x10",
            "index=1&wait=abc", "index=1&wait=10h", "index=1&wait=-1", "index=1&wait=1.5s", "index=1&wait=301s",
            "index=1&wait=6m", "index=1&wait=1000000", "index=1&wait=", "wait=abc", "wait=10h", "index=%2D1"};
        for (String q : slotQueries) {
            all.add(req("slot detail ?" + q, "GET", S + "/busy?" + q, null, 400));
            all.add(req("slot list ?" + q, "GET", S + "?" + q, null, 400));
        }
        all.add(req("slot detail ?index=%ZZ", "GET", S + "/busy?index=%ZZ", null, 400).overRaw());
        all.add(req("slot list ?wait=%", "GET", S + "?index=1&wait=%", null, 400).overRaw());
        all.add(req("slot detail of unregistered ?index=abc", "GET", S + "/fresh?index=abc", null, 400));
        for (String q : new String[] {"limit=0", "limit=100000", "limit=-1", "limit=abc", "limit=1.5", "limit=",
            "limit=1001", "limit=99999999999999999999"}) {
            all.add(req("history ?" + q, "GET", S + "/busy/history?" + q, null, 400));
        }
        all.add(req("history ?limit=%G0", "GET", S + "/busy/history?limit=%G0", null, 400).overRaw());
    }

    /** Aimed at calls that would change state if the key were let through: acquire a free slot, extend, release. */
    private static void idempotencyKeys(List<Case> all) {
        record Call(String label, String method, String path, String body) {
        }
        List<Call> calls = List.of(
                new Call("acquire", "POST", L + "idle", "{\"timeout\":10}"),
                new Call("acquire unregistered", "POST", L + "fresh", "{\"timeout\":10}"),
                new Call("extend", "PUT", L + "busy/" + T, "{\"timeout\":7300}"),
                new Call("release", "DELETE", L + "busy/" + T, null),
                new Call("register", "POST", S, "{\"id\":\"n2\"}"),
                new Call("patch", "PATCH", S + "/capped", "{\"name\":\"renamed\"}"),
                new Call("break", "POST", S + "/busy/break", "{}"));
        for (Call c : calls) {
            all.add(req(c.label + " key 256 chars", c.method, c.path, c.body, 400).header("Idempotency-Key", "k".repeat(256)));
            all.add(req(c.label + " key with space", c.method, c.path, c.body, 400).header("Idempotency-Key", "a b"));
            all.add(req(c.label + " key non-ASCII", c.method, c.path, c.body, 400)
                    .header("Idempotency-Key", RawHttp.utf8Bytes("cl\u00e9")).overRaw());
            all.add(req(c.label + " key Latin-1 byte", c.method, c.path, c.body, 400)
                    .header("Idempotency-Key", "cl\u00e9").overRaw());
            all.add(req(c.label + " key empty", c.method, c.path, c.body, 400).header("Idempotency-Key", "").overRaw());
            all.add(req(c.label + " key with tab", c.method, c.path, c.body, 400).header("Idempotency-Key", "a\tb").overRaw());
            all.add(req(c.label + " key with control char", c.method, c.path, c.body, 400)
                    .header("Idempotency-Key", "a\u0001b").overRaw());
            all.add(req(c.label + " key with DEL", c.method, c.path, c.body, 400)
                    .header("Idempotency-Key", "a\u007fb").overRaw());
        }
    }

    /** Requests broken at the HTTP level: Jetty answers them, in JSON. */
    private static void protocol(List<Case> all) {
        all.add(wire("no Host header", "GET /api/v1/slots HTTP/1.1\r\nConnection: close\r\n\r\n", 400));
        all.add(wire("bad Content-Length", "POST /api/v1/locks/idle HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Length: abc\r\n\r\n{}", 400));
        all.add(wire("two Content-Lengths", "POST /api/v1/locks/idle HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400));
        all.add(wire("header without colon", "GET /api/v1/slots HTTP/1.1\r\nHost: 127.0.0.1\r\nBroken header\r\n"
                + "Connection: close\r\n\r\n", 400));
        all.add(wire("relative request target", "GET api/v1/slots HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 400));
        all.add(wire("asterisk request target", "GET * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 400));
        String post = "POST /api/v1/locks/idle HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n";
        all.add(wire("bad chunk size", post + "Transfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n", 400));
        all.add(wire("chunk longer than announced", post + "Transfer-Encoding: chunked\r\n\r\n2\r\n{\"timeout\":10}\r\n0\r\n\r\n", 400));
        all.add(wireThenEof("body ends before its Content-Length", post + "Content-Length: 100\r\n\r\n{\"timeout\":10}", 400));
        all.add(wireThenEof("chunked body without its last chunk", post + "Transfer-Encoding: chunked\r\n\r\nE\r\n{\"timeout\":10}\r\n", 400));
        all.add(wireThenEof("Content-Length over 64 KiB, body cut short", post + "Content-Length: 70000\r\n\r\n{\"timeout\":10}", 413));
        all.add(wire("Transfer-Encoding gzip", post + "Transfer-Encoding: gzip\r\n\r\n{}", 400));
        all.add(wire("negative Content-Length", post + "Content-Length: -1\r\n\r\n{}", 400));
        all.add(wire("huge Content-Length", post + "Content-Length: 99999999999999999999\r\n\r\n{}", 400));
        all.add(wire("method with illegal characters", "PO(ST /api/v1/locks/idle HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 400));
        all.add(wire("unsupported Expect", post + "Expect: 100-sometimes\r\nContent-Length: 2\r\n\r\n{}", 417));
        all.add(wire("HTTP/2.0 request line on HTTP/1.1", "GET /api/v1/slots HTTP/2.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 426));
        all.add(wire("request URI over 8 KiB", "GET /api/v1/locks/" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n\r\n", 414));
        all.add(wire("headers over 8 KiB", "GET /api/v1/slots HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "y".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n", 431));
    }

    /** Refusals that are not validation errors but must equally change nothing. */
    private static void conflictsThatChangeNothing(List<Case> all) {
        all.add(req("acquire a held slot without waiting", "POST", L + "busy", "{\"timeout\":10}", 409));
        all.add(req("extend that would shorten the lock", "PUT", L + "busy/" + T, "{\"timeout\":1}", 409));
        all.add(req("register an existing slot", "POST", S, "{\"id\":\"busy\"}", 409));
        all.add(req("register an existing slot with other fields", "POST", S, "{\"id\":\"capped\",\"maxTimeout\":10,\"defaultTimeout\":5}", 409));
        all.add(req("delete a held slot", "DELETE", S + "/busy", null, 409));
    }

    // ---- sending and comparing -------------------------------------------------------------------

    enum Transport { CLIENT, RAW, CHUNKED, WIRE, WIRE_EOF }

    /** One bad request and the status it must get; {@code {T}} in the path stands for busy's token. */
    record Case(String name, String method, String path, byte[] body, int status, Transport transport, String allow,
                List<String> headers) {
        Case named(String n) {
            return new Case(n, method, path, body, status, transport, allow, headers);
        }

        Case overRaw() {
            return new Case(name, method, path, body, status, Transport.RAW, allow, headers);
        }

        Case allow(String methods) {
            return new Case(name, method, path, body, status, transport, methods, headers);
        }

        Case header(String name, String value) {
            List<String> h = new ArrayList<>(headers);
            h.add(name);
            h.add(value);
            return new Case(this.name, method, path, body, status, transport, allow, List.copyOf(h));
        }

        @Override
        public String toString() {
            return name + " [" + method + " " + abbreviate(path) + "]";
        }
    }

    private static Case req(String name, String method, String path, String body, int status) {
        return reqBytes(name, method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), status);
    }

    private static Case reqBytes(String name, String method, String path, byte[] body, int status) {
        return new Case(name, method, path, body, status, Transport.CLIENT, null, List.of());
    }

    private static Case chunked(String name, String method, String path, String body, int status) {
        return new Case(name, method, path, body.getBytes(StandardCharsets.UTF_8), status, Transport.CHUNKED, null, List.of());
    }

    /** A whole request as written on the wire, after which the client ends its side of the connection. */
    private static Case wireThenEof(String name, String request, int status) {
        return new Case(name, "-", "-", request.getBytes(StandardCharsets.ISO_8859_1), status, Transport.WIRE_EOF, null, List.of());
    }

    /** A whole request as written on the wire. */
    private static Case wire(String name, String request, int status) {
        return new Case(name, "-", "-", request.getBytes(StandardCharsets.ISO_8859_1), status, Transport.WIRE, null, List.of());
    }

    private record Answer(int status, String contentType, byte[] body, String allow) {
    }

    private static Answer send(Case c) {
        String path = c.path.replace(T, token);
        String[] headers = c.headers.toArray(String[]::new);
        switch (c.transport) {
            case CLIENT: {
                TestHttp.Res r = http.sendBytes(c.method, path, c.body, headers);
                return new Answer(r.status(), r.header("Content-Type"), r.raw().body(), r.header("Allow"));
            }
            case RAW: {
                RawHttp.Res r = raw.send(c.method, path, c.body, headers);
                return new Answer(r.status(), r.header("Content-Type"), r.body(), r.header("Allow"));
            }
            case CHUNKED: {
                RawHttp.Res r = raw.sendChunked(c.method, path, c.body);
                return new Answer(r.status(), r.header("Content-Type"), r.body(), r.header("Allow"));
            }
            default: {
                RawHttp.Res r = raw.sendRaw(c.body, c.transport == Transport.WIRE_EOF);
                return new Answer(r.status(), r.header("Content-Type"), r.body(), r.header("Allow"));
            }
        }
    }

    /**
     * What a client can observe, unstripped: the slot list (every registered slot with its version,
     * fence, lock and waiters, plus the global index), each known slot's history, and the held lock
     * as its holder sees it. A slot registered by mistake would show in the list.
     */
    private static String snapshot() {
        StringBuilder b = new StringBuilder();
        TestHttp.Res list = http.get(S);
        b.append("list ").append(list.status()).append(' ').append(list.header("X-Mutexify-Index")).append(' ')
                .append(list.text()).append('\n');
        for (String id : KNOWN_SLOTS) {
            b.append(id).append(" history ").append(http.get(S + "/" + id + "/history").text()).append('\n');
        }
        b.append("lock ").append(http.get(L + "busy/" + token).text()).append('\n');
        return b.toString();
    }

    /** The snapshot if it stays the same for 100 ms, else null. */
    private static String settledSnapshot() throws InterruptedException {
        String first = snapshot();
        Thread.sleep(100);
        return first.equals(snapshot()) ? first : null;
    }

    private static TestHttp.Res expect(TestHttp.Res r, int status) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        return r;
    }

    private static String abbreviate(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 60; i++) {
            char ch = s.charAt(i);
            b.append(ch < 0x20 || ch == 0x7f ? String.format("\\x%02x", (int) ch) : String.valueOf(ch));
        }
        return b.length() < 60 ? b.toString() : b + "…(" + s.length() + " chars)";
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
