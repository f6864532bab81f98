package io.mutexify.frontface.auth;

import io.mutexify.model.auth.ApiKey;
import io.mutexify.model.auth.ApiKeyFormat;
import io.mutexify.model.port.ApiKeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a presented API key: known id, matching secret (compared in constant time), not revoked,
 * not expired. The store is read on every call, so a revocation takes effect at once. The last-use
 * time is written at most once a minute per key, so a busy script does not cost a write per call.
 */
public final class ApiKeyCheck {
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final ApiKeyStore store;
    private final Clock clock;
    private final Map<String, Instant> touched = new ConcurrentHashMap<>();

    public ApiKeyCheck(ApiKeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Optional<ApiKey> verify(String presented) {
        Optional<ApiKeyFormat.Parsed> parsed = ApiKeyFormat.parse(presented);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<ApiKey> key = store.find(parsed.get().id())
                .filter(k -> ApiKeyFormat.matches(k.secretHash(), parsed.get().secret()))
                .filter(k -> k.isUsableAt(now));
        key.ifPresent(k -> touch(k, now));
        return key;
    }

    private void touch(ApiKey key, Instant now) {
        Instant last = touched.getOrDefault(key.id(), key.lastUsedAt());
        if (last == null || !now.isBefore(last.plus(TOUCH_EVERY))) {
            touched.put(key.id(), now);
            store.touch(key.id(), now);
        }
    }
}
