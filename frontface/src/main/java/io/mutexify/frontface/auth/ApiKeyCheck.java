package io.mutexify.frontface.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mutexify.model.auth.ApiKey;
import io.mutexify.model.auth.ApiKeyFormat;
import io.mutexify.model.port.ApiKeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks a presented API key: known id, matching secret (compared in constant time), not revoked,
 * not expired. A key read from the store is remembered for {@link #REMEMBER}, so a busy script
 * does not cost a store read per call; a revocation made through {@link #revokingHere} takes
 * effect at once, one made elsewhere (another instance) within {@link #REMEMBER}. The secret and
 * the expiry are checked on every call. The last-use time is written at most once a minute per
 * key, so a busy script does not cost a write per call either.
 */
public final class ApiKeyCheck {
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    /** How long a key read from the store is trusted without reading it again. */
    public static final Duration REMEMBER = Duration.ofSeconds(2);

    private final ApiKeyStore store;
    private final Clock clock;
    private final Map<String, Instant> touched = new ConcurrentHashMap<>();
    private final Cache<String, ApiKey> known = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(REMEMBER).executor(Runnable::run).build();
    /** Counts revocations seen here: a read that a revocation overtook is not remembered. */
    private final AtomicLong revocations = new AtomicLong();

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
        Optional<ApiKey> key = lookup(parsed.get().id())
                .filter(k -> ApiKeyFormat.matches(k.secretHash(), parsed.get().secret()))
                .filter(k -> k.isUsableAt(now));
        key.ifPresent(k -> touch(k, now));
        return key;
    }

    /** The key as remembered, or as read from the store (then remembered, unless a revocation came meanwhile). */
    private Optional<ApiKey> lookup(String id) {
        ApiKey remembered = known.getIfPresent(id);
        if (remembered != null) {
            return Optional.of(remembered);
        }
        long seen = revocations.get();
        Optional<ApiKey> read = store.find(id);
        read.ifPresent(k -> {
            known.put(id, k);
            if (revocations.get() != seen) {
                known.invalidate(id); // a revocation may have come between the read and now
            }
        });
        return read;
    }

    /** {@code keys}, with every revocation through it taking effect in this check at once. */
    public ApiKeyStore revokingHere(ApiKeyStore keys) {
        return new ApiKeyStore() {
            @Override
            public void create(ApiKey key) {
                keys.create(key);
            }

            @Override
            public List<ApiKey> list(String principal) {
                return keys.list(principal);
            }

            @Override
            public Optional<ApiKey> find(String id) {
                return keys.find(id);
            }

            @Override
            public boolean revoke(String id, Instant at) {
                boolean revoked = keys.revoke(id, at);
                revocations.incrementAndGet();
                known.invalidate(id);
                return revoked;
            }

            @Override
            public void touch(String id, Instant at) {
                keys.touch(id, at);
            }
        };
    }

    private void touch(ApiKey key, Instant now) {
        Instant last = touched.getOrDefault(key.id(), key.lastUsedAt());
        if (last == null || !now.isBefore(last.plus(TOUCH_EVERY))) {
            touched.put(key.id(), now);
            store.touch(key.id(), now);
        }
    }
}
