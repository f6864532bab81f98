package io.mutexify.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pools from the Java client: register one, leases that name their unit, a specific unit, break one unit. */
class PoolClientTest extends WithClientServer {
    @Test
    void leasesOfAPoolNameTheirUnits() {
        SlotInfo pool = client.createSlot(SlotSpec.of("c-envs").withUnits(List.of("env-a", "env-b"))
                .withLockDelay(Duration.ofSeconds(1)));
        assertThat(pool.capacity()).isEqualTo(2);
        assertThat(pool.units()).containsExactly("env-a", "env-b");
        assertThat(pool.lockDelay()).isEqualTo(1);

        try (Lease b = client.acquire(LockRequest.of("c-envs", Duration.ofSeconds(30)).withUnit("env-b"));
             Lease a = client.acquire(LockRequest.of("c-envs", Duration.ofSeconds(30)))) {
            assertThat(b.unit()).isEqualTo("env-b");
            assertThat(a.unit()).isEqualTo("env-a");
            assertThat(a.fence()).isGreaterThan(b.fence());
            assertThat(a.lock().unit()).isEqualTo("env-a");

            SlotInfo full = client.slot("c-envs");
            assertThat(full.holds()).extracting(LockInfo::unit).containsExactly("env-b", "env-a");
            assertThat(full.available()).isZero();
            Optional<Lease> none = client.tryAcquire("c-envs", Duration.ofSeconds(5));
            assertThat(none).isEmpty();

            LockInfo broken = client.breakUnit("c-envs", "env-b", "test");
            assertThat(broken.unit()).isEqualTo("env-b");
            assertThat(client.slot("c-envs").holds()).extracting(LockInfo::unit).containsExactly("env-a");
        }
        assertThatThrownBy(() -> client.acquire(LockRequest.of("c-envs", Duration.ofSeconds(5)).withUnit("env-z")))
                .isInstanceOfSatisfying(MutexifyException.class, e -> assertThat(e.code()).isEqualTo("unknown_unit"));
    }

    @Test
    void aPlainSlotHasCapacityOneAndNoUnit() {
        SlotInfo plain = client.createSlot(SlotSpec.of("c-plain"));
        assertThat(plain.capacity()).isEqualTo(1);
        assertThat(plain.units()).isEmpty();
        try (Lease lease = client.acquire(LockRequest.of("c-plain", Duration.ofSeconds(30)))) {
            assertThat(lease.unit()).isNull();
            assertThat(client.slot("c-plain").holds()).singleElement()
                    .satisfies(h -> assertThat(h.fence()).isEqualTo(lease.fence()));
        }
    }
}
