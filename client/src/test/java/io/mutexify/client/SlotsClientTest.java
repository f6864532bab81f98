package io.mutexify.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Slot calls: register, list, read, watch (long poll), delete. */
class SlotsClientTest extends WithClientServer {
    @Test
    void slotPagesFollowTheCursorAndSlotsReadsThemAll() {
        for (int i = 1; i <= 5; i++) {
            client.createSlot(SlotSpec.of("pg-" + i));
        }
        SlotPage first = client.slotPage(2, "pg-0");
        assertThat(first.slots()).extracting(SlotInfo::id).containsExactly("pg-1", "pg-2");
        assertThat(first.next()).isEqualTo("pg-2");
        SlotPage second = client.slotPage(2, first.next());
        assertThat(second.slots()).extracting(SlotInfo::id).containsExactly("pg-3", "pg-4");
        assertThat(client.slotPage(1000, "pg-4").slots()).extracting(SlotInfo::id).first().isEqualTo("pg-5");
        assertThat(client.slots()).extracting(SlotInfo::id).contains("pg-1", "pg-2", "pg-3", "pg-4", "pg-5");
        assertThatThrownBy(() -> client.slotPage(0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.slotPage(10, "bad id")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void registerWatchAndDelete() throws Exception {
        SlotInfo created = client.createSlot(SlotSpec.of("c-staging").withName("Staging")
                .withDefaultTimeout(Duration.ofSeconds(30)).withMaxTimeout(Duration.ofHours(1)));
        assertThat(created.name()).isEqualTo("Staging");
        assertThat(created.defaultTimeout()).isEqualTo(30);
        assertThat(created.maxTimeout()).isEqualTo(3600);
        assertThat(created.state()).isEqualTo("free");
        assertThatThrownBy(() -> client.createSlot(SlotSpec.of("c-staging")))
                .isInstanceOfSatisfying(MutexifyException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("slot_exists");
                });
        assertThat(client.slots()).extracting(SlotInfo::id).contains("c-staging");

        SlotInfo before = client.slot("c-staging");
        // Nothing changes: the long poll ends after its wait with the same version.
        assertThat(client.watch("c-staging", before.version(), Duration.ofMillis(300)).version()).isEqualTo(before.version());

        CompletableFuture<SlotInfo> change = CompletableFuture.supplyAsync(
                () -> client.watch("c-staging", before.version(), Duration.ofSeconds(20)));
        try (Lease lease = client.acquire("c-staging", null, Duration.ZERO, List.of())) {
            assertThat(lease.ttl()).isEqualTo(Duration.ofSeconds(30)); // the slot's default
            SlotInfo after = change.get(10, TimeUnit.SECONDS);
            assertThat(after.version()).isGreaterThan(before.version());
            assertThat(after.isHeld()).isTrue();
            assertThat(after.lock().fence()).isEqualTo(lease.fence());

            assertThatThrownBy(() -> client.deleteSlot("c-staging"))
                    .isInstanceOfSatisfying(MutexifyException.class, e -> assertThat(e.code()).isEqualTo("slot_held"));
        }
        client.deleteSlot("c-staging");
        assertThatThrownBy(() -> client.slot("c-staging")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void badInputIsRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> client.acquire("no spaces", Duration.ofSeconds(5), Duration.ZERO, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.acquire("c-bad", Duration.ofSeconds(-1), Duration.ZERO, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.release("c-bad", "not/a/token")).isInstanceOf(IllegalArgumentException.class);
        // The server's own limits come back as 400 with its error code.
        assertThatThrownBy(() -> client.acquire("c-bad", Duration.ofDays(400), Duration.ZERO, List.of()))
                .isInstanceOfSatisfying(MutexifyException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("invalid_timeout");
                });
    }

    @Test
    void manualExtendAndRelease() {
        Lease lease = client.acquire("c-manual", Duration.ofSeconds(10), Duration.ZERO, List.of());
        LockInfo extended = client.extend("c-manual", lease.token(), Duration.ofSeconds(60));
        assertThat(extended.timeout()).isEqualTo(60);
        assertThat(extended.fence()).isEqualTo(lease.fence());
        client.release("c-manual", lease.token());
        assertThatThrownBy(() -> client.release("c-manual", lease.token())).isInstanceOf(NotFoundException.class);
        lease.close();
    }
}
