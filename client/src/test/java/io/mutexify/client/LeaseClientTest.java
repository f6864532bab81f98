package io.mutexify.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Leases against a real server: acquire and release, refusal, waiting, renewal, loss by break, withLock. */
class LeaseClientTest extends WithClientServer {
    @Test
    void acquireAndClose() {
        Lease lease = client.acquire("c-basic", Duration.ofSeconds(10), Duration.ZERO, List.of("job 1"));
        assertThat(lease.isValid()).isTrue();
        assertThat(lease.slot()).isEqualTo("c-basic");
        assertThat(lease.token()).isNotBlank();
        assertThat(lease.fence()).isPositive();
        assertThat(lease.ttl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(lease.expireAt()).isAfter(Instant.now());
        assertThat(lease.lock().metadata()).containsExactly("job 1");
        assertThat(lease.timeLeft()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(lease.toString()).doesNotContain(lease.token());

        assertThat(client.status("c-basic")).hasValueSatisfying(l -> {
            assertThat(l.fence()).isEqualTo(lease.fence());
            assertThat(l.token()).isNull();
        });
        assertThat(client.lock("c-basic", lease.token()).fence()).isEqualTo(lease.fence());

        lease.close();
        assertThat(lease.isValid()).isFalse();
        assertThat(lease.ended()).isCompletedWithValueMatching(e -> e.reason() == LeaseEnd.Reason.RELEASED && !e.isLoss());
        assertThat(client.status("c-basic")).isEmpty();
        lease.close(); // a second close does nothing
        assertThat(lease.release()).isFalse();
    }

    @Test
    void aHeldLockIsRefusedWithItsHolder() {
        Lease first = client.acquire(LockRequest.of("c-held", Duration.ofSeconds(10)).withOwner("holder-a"));
        assertThatThrownBy(() -> client.acquire("c-held", Duration.ofSeconds(10), Duration.ZERO, List.of()))
                .isExactlyInstanceOf(LockHeldException.class)
                .satisfies(e -> {
                    LockHeldException held = (LockHeldException) e;
                    assertThat(held.status()).isEqualTo(409);
                    assertThat(held.holderOwner()).isEqualTo("holder-a");
                    assertThat(held.expireAt()).isEqualTo(first.expireAt());
                    assertThat(held.holder().token()).isNull();
                });
        assertThat(client.tryAcquire("c-held", Duration.ofSeconds(10))).isEmpty();
        assertThatThrownBy(() -> client.acquire("c-held", Duration.ofSeconds(10), Duration.ofSeconds(1), List.of()))
                .isInstanceOf(AcquireTimeoutException.class)
                .satisfies(e -> assertThat(((AcquireTimeoutException) e).holderOwner()).isEqualTo("holder-a"));
        first.close();
        try (Lease second = client.tryAcquire("c-held", Duration.ofSeconds(10)).orElseThrow()) {
            assertThat(second.fence()).isGreaterThan(first.fence());
        }
    }

    @Test
    void aWaiterGetsTheLockWhenItIsReleased() throws Exception {
        Lease first = client.acquire("c-wait", Duration.ofSeconds(10), Duration.ZERO, List.of());
        CompletableFuture<Lease> second = CompletableFuture.supplyAsync(
                () -> client.acquire("c-wait", Duration.ofSeconds(10), Duration.ofSeconds(20), List.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> client.slot("c-wait").waiting() == 1);
        first.close();
        try (Lease next = second.get(10, TimeUnit.SECONDS)) {
            assertThat(next.fence()).isEqualTo(first.fence() + 1);
            assertThat(next.isValid()).isTrue();
        }
    }

    @Test
    void renewalKeepsATwoSecondLockAliveForTenSeconds() {
        Lease lease = client.acquire("c-renew", Duration.ofSeconds(2), Duration.ZERO, List.of());
        Instant firstExpiry = lease.expireAt();
        await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(12)).pollInterval(Duration.ofMillis(250))
                .until(() -> lease.isValid() && client.lock("c-renew", lease.token()).fence() == lease.fence());
        assertThat(lease.ended()).isNotDone();
        assertThat(lease.expireAt()).isAfter(firstExpiry.plusSeconds(7));
        assertThat(client.slot("c-renew").fence()).isEqualTo(lease.fence()); // one grant, kept alive
        lease.close();
        assertThat(client.status("c-renew")).isEmpty();
    }

    @Test
    void aBrokenLockIsReportedLostBeforeTheSafeDeadline() {
        Lease lease = client.acquire("c-break", Duration.ofSeconds(3), Duration.ZERO, List.of());
        AtomicLong reportedAt = new AtomicLong();
        AtomicReference<LeaseEnd> seen = new AtomicReference<>();
        lease.addListener((l, end) -> {
            reportedAt.set(System.nanoTime());
            seen.set(end);
        });

        LockInfo broken = client.breakLock("c-break", "test breaks it");
        assertThat(broken.fence()).isEqualTo(lease.fence());

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.get() != null);
        assertThat(seen.get().reason()).isEqualTo(LeaseEnd.Reason.NOT_HELD);
        assertThat(seen.get().isLoss()).isTrue();
        assertThat(reportedAt.get() - lease.safeDeadlineNanos()).isNegative();
        assertThat(lease.isValid()).isFalse();
        assertThat(lease.ended().join().reason()).isEqualTo(LeaseEnd.Reason.NOT_HELD);
        // A listener added after the loss hears of it at once.
        AtomicReference<LeaseEnd> late = new AtomicReference<>();
        lease.addListener((l, end) -> late.set(end));
        assertThat(late.get()).isEqualTo(seen.get());
        lease.close(); // nothing left to release
    }

    @Test
    void withLockRunsTheActionUnderTheLockAndReleasesIt() {
        int result = client.withLock("c-with", Duration.ofSeconds(5), lease -> {
            assertThat(client.status("c-with")).hasValueSatisfying(l -> assertThat(l.fence()).isEqualTo(lease.fence()));
            return 42;
        });
        assertThat(result).isEqualTo(42);
        assertThat(client.status("c-with")).isEmpty();

        assertThatThrownBy(() -> client.withLock("c-with", Duration.ofSeconds(5), lease -> {
            throw new IOException("boom");
        })).isInstanceOf(IOException.class).hasMessage("boom");
        assertThat(client.status("c-with")).isEmpty();
    }

    @Test
    void withLockReportsALeaseLostDuringTheAction() {
        assertThatThrownBy(() -> client.withLock("c-with-lost", Duration.ofSeconds(3), lease -> {
            client.breakLock("c-with-lost", null);
            await().atMost(Duration.ofSeconds(5)).until(() -> !lease.isValid());
            return "done without the lock";
        })).isInstanceOfSatisfying(LockLostException.class,
                e -> assertThat(e.end().reason()).isEqualTo(LeaseEnd.Reason.NOT_HELD));
    }
}
