package io.mutexify.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The named rules of what is sent again, and the pause before it. */
class RetryPolicyTest {
    private static final Transport.Call KEYED = new Transport.Call("POST", "/api/v1/locks/a", null, "k-1");
    private static final Transport.Call READ = Transport.Call.get("/api/v1/slots");
    private static final Transport.Call UNKEYED = new Transport.Call("POST", "/api/v1/locks/a", null, null);

    private static Transport.Response answer(int status, Map<String, List<String>> headers) {
        return new Transport.Response(status, HttpHeaders.of(headers, (a, b) -> true), new byte[0], 0);
    }

    private static Optional<RetryPolicy.Rule> rule(Transport.Call call, int status) {
        return RetryPolicy.ruleFor(call, answer(status, Map.of()), null);
    }

    @Test
    void statusesAreRetriedByName() {
        assertThat(rule(KEYED, 429)).contains(RetryPolicy.Rule.THROTTLED);
        assertThat(rule(UNKEYED, 503)).contains(RetryPolicy.Rule.UNAVAILABLE);
        for (int status : new int[] {500, 502, 504}) {
            assertThat(rule(KEYED, status)).contains(RetryPolicy.Rule.SERVER_ERROR);
            assertThat(rule(READ, status)).contains(RetryPolicy.Rule.SERVER_ERROR);
            assertThat(rule(UNKEYED, status)).as("a write without a key might act twice").isEmpty();
        }
        for (int status : new int[] {200, 201, 204, 400, 401, 403, 404, 409, 501}) {
            assertThat(rule(KEYED, status)).as("status " + status).isEmpty();
        }
    }

    @Test
    void failuresWithoutAnAnswerAreRetriedWhenSafe() {
        assertThat(RetryPolicy.ruleFor(UNKEYED, null, new ConnectException("refused"))).contains(RetryPolicy.Rule.NOT_CONNECTED);
        IOException timeout = new HttpTimeoutException("timed out");
        assertThat(RetryPolicy.ruleFor(KEYED, null, timeout)).contains(RetryPolicy.Rule.NO_ANSWER);
        assertThat(RetryPolicy.ruleFor(READ, null, timeout)).contains(RetryPolicy.Rule.NO_ANSWER);
        assertThat(RetryPolicy.ruleFor(UNKEYED, null, timeout)).isEmpty();
        assertThat(RetryPolicy.ruleFor(KEYED, null, null)).contains(RetryPolicy.Rule.PENDING_FORGOTTEN);
    }

    @Test
    void retryAfterOverridesTheBackoffWhichDoublesWithJitter() {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(100));
        assertThat(policy.pauseBefore(1, answer(503, Map.of("Retry-After", List.of("2")))))
                .isEqualTo(TimeUnit.SECONDS.toNanos(2));
        assertThat(policy.pauseBefore(1, answer(503, Map.of("Retry-After", List.of("3600")))))
                .as("capped at a minute").isEqualTo(TimeUnit.SECONDS.toNanos(60));
        assertThat(policy.pauseBefore(1, null)).isBetween(TimeUnit.MILLISECONDS.toNanos(80), TimeUnit.MILLISECONDS.toNanos(120));
        assertThat(policy.pauseBefore(3, null)).isBetween(TimeUnit.MILLISECONDS.toNanos(320), TimeUnit.MILLISECONDS.toNanos(480));
        assertThat(policy.pauseBefore(20, null)).isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(6000));
    }

    @Test
    void aPolicyIsAValidatedValue() {
        assertThat(RetryPolicy.DEFAULT.withMaxRetries(1)).isEqualTo(new RetryPolicy(1, Duration.ofMillis(200)));
        assertThatThrownBy(() -> RetryPolicy.DEFAULT.withMaxRetries(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.DEFAULT.withBackoff(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
