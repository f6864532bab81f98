package io.mutexify.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A retried acquire carries the same Idempotency-Key, so it gets the first grant instead of a second lock. */
class IdempotentRetryClientTest extends WithClientServer {
    @Test
    void aRetriedAcquireDoesNotTakeTheLockTwice() throws Exception {
        try (FaultProxy proxy = new FaultProxy(server.url());
             MutexifyClient viaProxy = WithClientServer.clientFor(proxy.url())) {
            // The server grants the first attempt, but its answer never reaches the client.
            proxy.swallowAnswers(1);

            Lease lease = viaProxy.acquire("c-retry", Duration.ofSeconds(10), Duration.ZERO, List.of());

            assertThat(proxy.connections()).isGreaterThanOrEqualTo(2); // it did retry
            assertThat(lease.fence()).isEqualTo(1);
            assertThat(client.slot("c-retry").fence()).isEqualTo(1); // granted once, not twice
            assertThat(client.lock("c-retry", lease.token()).fence()).isEqualTo(1);
            assertThat(lease.isValid()).isTrue();
            lease.close();
            assertThat(client.status("c-retry")).isEmpty();
        }
    }

    @Test
    void theSameKeyAgainReturnsTheFirstGrant() {
        LockRequest request = LockRequest.of("c-key", Duration.ofSeconds(10)).withIdempotencyKey("job-77-acquire");
        Lease first = client.acquire(request);
        Lease again = client.acquire(request);
        assertThat(again.token()).isEqualTo(first.token());
        assertThat(again.fence()).isEqualTo(first.fence());
        assertThat(client.slot("c-key").fence()).isEqualTo(first.fence());
        assertThat(again.isValid()).isTrue();
        assertThat(again.release()).isTrue();
        assertThat(first.release()).isFalse(); // the same grant, already given back
    }
}
