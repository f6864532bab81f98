package io.mutexify.frontface.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.auth.ApiKey;
import io.mutexify.model.auth.ApiKeyFormat;
import io.mutexify.model.port.ApiKeyStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ApiKeyCheckTest {
    private static final byte[] ID = {1, 2, 3, 4, 5, 6, 7, 8};
    private static final byte[] SECRET = new byte[32];
    private static final String KEY = ApiKeyFormat.format(ID, SECRET);
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    /** Keys in a map; counts the reads, so a test sees when the check went to the store. */
    private static final class Keys implements ApiKeyStore {
        final Map<String, ApiKey> byId = new ConcurrentHashMap<>();
        final AtomicInteger finds = new AtomicInteger();

        @Override
        public void create(ApiKey key) {
            byId.put(key.id(), key);
        }

        @Override
        public List<ApiKey> list(String principal) {
            return List.copyOf(byId.values());
        }

        @Override
        public Optional<ApiKey> find(String id) {
            finds.incrementAndGet();
            return Optional.ofNullable(byId.get(id));
        }

        @Override
        public boolean revoke(String id, Instant at) {
            ApiKey k = byId.get(id);
            if (k == null || k.revokedAt() != null) {
                return false;
            }
            byId.put(id, new ApiKey(k.id(), k.principal(), k.name(), k.secretHash(), k.createdAt(), k.expiresAt(),
                    k.lastUsedAt(), at));
            return true;
        }

        @Override
        public void touch(String id, Instant at) {
        }
    }

    private final Keys keys = new Keys();
    private final ApiKeyCheck check = new ApiKeyCheck(keys, Clock.fixed(NOW, ZoneOffset.UTC));

    ApiKeyCheckTest() {
        String id = ApiKeyFormat.parse(KEY).orElseThrow().id();
        String secret = ApiKeyFormat.parse(KEY).orElseThrow().secret();
        keys.create(new ApiKey(id, "ann@example.com", "ci", ApiKeyFormat.hash(secret), NOW.minusSeconds(60), null,
                null, null));
    }

    @Test
    void aBusyKeyIsReadFromTheStoreOnceNotPerCall() {
        for (int i = 0; i < 100; i++) {
            assertThat(check.verify(KEY)).isPresent();
        }
        assertThat(keys.finds.get()).isEqualTo(1);
    }

    @Test
    void aRevocationThroughTheCheckedStoreTakesEffectAtOnce() {
        assertThat(check.verify(KEY)).isPresent();
        ApiKeyStore managed = check.revokingHere(keys);
        assertThat(managed.revoke(ApiKeyFormat.parse(KEY).orElseThrow().id(), NOW)).isTrue();
        assertThat(check.verify(KEY)).as("revoked a moment ago").isEmpty();
    }

    @Test
    void aWrongSecretForARememberedKeyIsStillRefused() {
        assertThat(check.verify(KEY)).isPresent();
        byte[] other = new byte[32];
        other[0] = 1;
        assertThat(check.verify(ApiKeyFormat.format(ID, other))).isEmpty();
    }
}
