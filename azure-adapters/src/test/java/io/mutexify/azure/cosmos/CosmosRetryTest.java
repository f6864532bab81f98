package io.mutexify.azure.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class CosmosRetryTest {
    /** Stands in for a CosmosException: a status and the server's retry-after. */
    static final class Failure extends RuntimeException {
        final int status;
        final Duration retryAfter;

        Failure(int status, Duration retryAfter) {
            super("status " + status);
            this.status = status;
            this.retryAfter = retryAfter;
        }
    }

    private static CosmosRetry retry(int attempts) {
        return new CosmosRetry(attempts, Duration.ofMillis(10), Duration.ofMillis(200), e ->
                e instanceof Failure f && CosmosRetry.TRANSIENT.contains(f.status)
                        ? Optional.of(new CosmosRetry.Transient(f.status, 0, f.retryAfter, "test"))
                        : Optional.empty());
    }

    @Test
    void theServersRetryAfterIsHonouredButCapped() {
        CosmosRetry r = retry(5);

        assertThat(r.delayAfter(1, Duration.ofMillis(120))).contains(Duration.ofMillis(120));
        assertThat(r.delayAfter(1, Duration.ofSeconds(30))).contains(Duration.ofMillis(200));
    }

    @Test
    void withoutRetryAfterTheBackoffGrowsWithJitterUpToTheCap() {
        CosmosRetry r = retry(10);

        for (int i = 0; i < 50; i++) {
            assertThat(r.delayAfter(1, Duration.ZERO).orElseThrow()).isBetween(Duration.ofMillis(5), Duration.ofMillis(10));
            assertThat(r.delayAfter(3, Duration.ZERO).orElseThrow()).isBetween(Duration.ofMillis(20), Duration.ofMillis(40));
            assertThat(r.delayAfter(9, Duration.ZERO).orElseThrow()).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        }
        assertThat(r.delayAfter(10, Duration.ZERO)).isEmpty();
    }

    @Test
    void transientFailuresAreRetriedUntilTheyPass() {
        AtomicInteger calls = new AtomicInteger();
        Mono<String> flaky = Mono.defer(() -> {
            int n = calls.incrementAndGet();
            return n == 1 ? Mono.error(new Failure(429, Duration.ofMillis(5)))
                    : n == 2 ? Mono.error(new Failure(503, Duration.ZERO))
                    : n == 3 ? Mono.error(new Failure(449, Duration.ZERO))
                    : n == 4 ? Mono.error(new Failure(408, Duration.ZERO))
                    : Mono.just("ok");
        });

        assertThat(flaky.retryWhen(retry(5).spec("test")).block()).isEqualTo("ok");
        assertThat(calls).hasValue(5);
    }

    @Test
    void retriesAreBoundedAndOtherFailuresAreNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        Mono<String> down = Mono.defer(() -> {
            calls.incrementAndGet();
            return Mono.error(new Failure(503, Duration.ZERO));
        });
        assertThatThrownBy(() -> down.retryWhen(retry(3).spec("test")).block()).isInstanceOf(Failure.class);
        assertThat(calls).hasValue(3);

        calls.set(0);
        Mono<String> conflict = Mono.defer(() -> {
            calls.incrementAndGet();
            return Mono.error(new Failure(412, Duration.ZERO));
        });
        assertThatThrownBy(() -> conflict.retryWhen(retry(3).spec("test")).block()).isInstanceOf(Failure.class);
        assertThat(calls).hasValue(1);
    }
}
