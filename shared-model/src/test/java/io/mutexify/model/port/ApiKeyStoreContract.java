package io.mutexify.model.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mutexify.model.auth.ApiKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ApiKeyStore} must do, whatever it stores into. An adapter's test extends this
 * class and says how to make an empty store; it may add tests of its own.
 */
public abstract class ApiKeyStoreContract {
    protected static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    protected ApiKeyStore keys;

    /** A fresh, empty key store, called before every test. The implementation closes what it opened. */
    protected abstract ApiKeyStore newKeyStore();

    @BeforeEach
    protected void openKeyStore() {
        keys = newKeyStore();
    }

    protected static ApiKey key(String id, String principal, Instant createdAt, Instant expiresAt) {
        return new ApiKey(id, principal, "name-" + id, "hash-" + id, createdAt, expiresAt, null, null);
    }

    private static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    public void aCreatedKeyIsFoundByIdWithEveryField() {
        ApiKey k = key("0a1b2c3d4e5f6071", "alice@example.com", T0, T0.plusSeconds(3600));
        keys.create(k);

        assertThat(keys.find("0a1b2c3d4e5f6071")).contains(k);
        assertThat(keys.find("ffffffffffffffff")).isEmpty();
    }

    @Test
    public void aTakenIdIsRefusedAndTheFirstKeyStays() {
        ApiKey first = key("00000000000000a1", "alice@example.com", T0, null);
        keys.create(first);

        assertThatThrownBy(() -> keys.create(key("00000000000000a1", "eve@example.com", T0.plusSeconds(1), null)))
                .isInstanceOf(RuntimeException.class);
        assertThat(keys.find("00000000000000a1")).contains(first);
        assertThat(keys.list("eve@example.com")).isEmpty();
        assertThat(keys.list("alice@example.com")).containsExactly(first);
    }

    @Test
    public void listShowsOnlyThePrincipalsActiveKeysOldestFirst() {
        keys.create(key("00000000000000b2", "alice@example.com", T0.plusSeconds(2), null));
        keys.create(key("00000000000000b1", "alice@example.com", T0.plusSeconds(1), null));
        keys.create(key("00000000000000b0", "alice@example.com", T0.plusSeconds(2), null));
        keys.create(key("00000000000000c1", "bob@example.com", T0, null));
        keys.create(key("00000000000000c2", "o'brien+ci@example.com", T0, null));

        assertThat(keys.list("alice@example.com")).extracting(ApiKey::id)
                .containsExactly("00000000000000b1", "00000000000000b0", "00000000000000b2");
        assertThat(keys.list("bob@example.com")).extracting(ApiKey::id).containsExactly("00000000000000c1");
        assertThat(keys.list("o'brien+ci@example.com")).extracting(ApiKey::id).containsExactly("00000000000000c2");
        assertThat(keys.list("nobody@example.com")).isEmpty();
    }

    @Test
    public void anExpiredKeyIsStillListedAndFound() {
        // expiry is the caller's decision (ApiKey.isUsableAt); the store keeps what it was given
        ApiKey expired = key("00000000000000d1", "alice@example.com", T0, T0.plusSeconds(1));
        keys.create(expired);

        assertThat(keys.list("alice@example.com")).containsExactly(expired);
        assertThat(keys.find("00000000000000d1").orElseThrow().isUsableAt(T0.plusSeconds(2))).isFalse();
    }

    @Test
    public void revokeMarksTheKeyOnceAndTakesItOffTheList() {
        keys.create(key("00000000000000e1", "alice@example.com", T0, null));
        keys.create(key("00000000000000e2", "alice@example.com", T0.plusSeconds(1), null));

        assertThat(keys.revoke("00000000000000e1", T0.plusSeconds(5))).isTrue();
        assertThat(keys.revoke("00000000000000e1", T0.plusSeconds(6))).isFalse();
        assertThat(keys.revoke("ffffffffffffffff", T0.plusSeconds(6))).isFalse();

        ApiKey revoked = keys.find("00000000000000e1").orElseThrow();
        assertThat(revoked.revokedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(revoked.isUsableAt(T0.plusSeconds(6))).isFalse();
        assertThat(keys.list("alice@example.com")).extracting(ApiKey::id).containsExactly("00000000000000e2");
    }

    @Test
    public void touchRecordsTheLastUseAndNeverRevivesARevokedKey() {
        keys.create(key("00000000000000f1", "alice@example.com", T0, null));
        keys.create(key("00000000000000f2", "alice@example.com", T0, null));
        keys.revoke("00000000000000f2", T0.plusSeconds(1));

        keys.touch("00000000000000f1", T0.plusSeconds(9));
        keys.touch("00000000000000f2", T0.plusSeconds(9));
        keys.touch("ffffffffffffffff", T0.plusSeconds(9)); // unknown: nothing happens, nothing fails

        eventually(() -> T0.plusSeconds(9).equals(keys.find("00000000000000f1").orElseThrow().lastUsedAt()),
                "the last use is recorded");
        eventually(() -> T0.plusSeconds(9).equals(keys.find("00000000000000f2").orElseThrow().lastUsedAt()),
                "the last use of a revoked key is recorded too");
        assertThat(keys.find("00000000000000f2").orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(keys.find("ffffffffffffffff")).isEmpty();
    }

    @Test
    public void concurrentCreatesOfOnePrincipalAreAllListed() throws Exception {
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CyclicBarrier start = new CyclicBarrier(n);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = String.format("%016x", 0x100 + i);
                Instant at = T0.plusSeconds(i);
                done.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    keys.create(key(id, "carol@example.com", at, null));
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(keys.list("carol@example.com")).extracting(ApiKey::id).hasSize(n)
                .isSortedAccordingTo(String::compareTo);
    }
}
