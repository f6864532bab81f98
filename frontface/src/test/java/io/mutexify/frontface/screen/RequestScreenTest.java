package io.mutexify.frontface.screen;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.frontface.http.ApiException;
import io.mutexify.frontface.http.ApiRequest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RequestScreenTest {
    private final RequestScreen screen = new RequestScreen(HostAllowList.loopbackAnd(List.of("locks.example.com")));

    @Test
    void hostNamesAreComparedWithoutPortCaseOrTrailingDot() {
        HostAllowList hosts = HostAllowList.loopbackAnd(List.of("Locks.Example.com"));
        assertThat(hosts.allows("locks.example.com:8443")).isTrue();
        assertThat(hosts.allows("LOCALHOST.")).isTrue();
        assertThat(hosts.allows("[::1]:8080")).isTrue();
        assertThat(hosts.allows("127.0.0.1")).isTrue();
        assertThat(hosts.allows("locks.example.com.evil.example")).isFalse();
        assertThat(hosts.allows(null)).isFalse();
        assertThat(HostAllowList.any().allows("anything")).isTrue();
    }

    @Test
    void contentLengthsOfAnySizeAreCompared() {
        assertThat(RequestScreen.declaresMoreThan("65536", 65536)).isFalse();
        assertThat(RequestScreen.declaresMoreThan("65537", 65536)).isTrue();
        assertThat(RequestScreen.declaresMoreThan("99999999999", 65536)).isTrue();
        assertThat(RequestScreen.declaresMoreThan("123456789012345678901234567890", 65536)).isTrue();
        assertThat(RequestScreen.declaresMoreThan("0000000000000000000012", 65536)).isFalse();
        assertThat(RequestScreen.declaresMoreThan("-1", 65536)).as("not a number: the server's to refuse").isFalse();
    }

    @Test
    void stateChangingApiCallsMustSayJson() {
        assertThat(refusal("POST", "/api/v1/locks/x", Map.of("Host", "localhost", "Content-Type", "text/plain"))).isEqualTo(415);
        assertThat(refusal("PATCH", "/api/v1/slots/x", Map.of("Host", "localhost"))).isEqualTo(415);
        assertThat(refusal("DELETE", "/api/v1/slots/x", Map.of("Host", "localhost", "Content-Length", "2"))).isEqualTo(415);
        assertThat(refusal("DELETE", "/api/v1/slots/x", Map.of("Host", "localhost"))).isZero();
        assertThat(refusal("POST", "/api/v1/locks/x", Map.of("Host", "localhost", "Content-Type", "Application/JSON; charset=utf-8"))).isZero();
        assertThat(refusal("POST", "/", Map.of("Host", "localhost"))).as("not the API").isZero();
    }

    @Test
    void otherHostsAreRefusedButProbesAreAnswered() {
        assertThat(refusal("GET", "/api/v1/slots", Map.of("Host", "rebind.example"))).isEqualTo(421);
        assertThat(refusal("GET", "/healthz", Map.of("Host", "rebind.example"))).isZero();
        assertThat(refusal("POST", "/api/v1/locks/x", Map.of("Host", "locks.example.com", "Content-Length", "99999999999",
                "Content-Type", "application/json"))).isEqualTo(413);
    }

    private int refusal(String method, String path, Map<String, String> headers) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        ApiRequest head = new ApiRequest(method, path, Map.of(), h::get, null);
        try {
            screen.check(head);
            return 0;
        } catch (ApiException e) {
            return e.status();
        }
    }
}
