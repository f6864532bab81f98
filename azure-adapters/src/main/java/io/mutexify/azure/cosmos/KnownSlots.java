package io.mutexify.azure.cosmos;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.mutexify.azure.cosmos.DocumentClient.Read;
import io.mutexify.azure.cosmos.DocumentTypes.SlotDoc;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import reactor.core.publisher.Mono;

/**
 * The slot documents this process last saw (an LRU of their ETags, so a commit can skip a read)
 * and the per-slot locks that keep this process's commits to one slot in order.
 */
final class KnownSlots {
    private static final int CACHE_SIZE = 4096;
    private static final int LOCK_STRIPES = 256;

    /** The last slot document this process saw, its ETag, and whether its lastWrite is known to be copied out. */
    record Known(SlotDoc doc, String etag, boolean done) {
        static final Known ABSENT = new Known(null, null, true);
    }

    private final DocumentClient docs;
    private final Map<String, Known> known = Caffeine.newBuilder().maximumSize(CACHE_SIZE)
            .executor(Runnable::run).<String, Known>build().asMap();
    private final ReentrantLock[] slotLocks = new ReentrantLock[LOCK_STRIPES];

    KnownSlots(DocumentClient docs) {
        this.docs = docs;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            slotLocks[i] = new ReentrantLock();
        }
    }

    Known get(String slotId) {
        return known.get(slotId);
    }

    void put(String slotId, Known k) {
        known.put(slotId, k);
    }

    /** Caches {@code read} unless a newer document of the slot is cached; returns what it knows of {@code read}. */
    Known remember(String slotId, Read<SlotDoc> read) {
        Known[] fresh = new Known[1];
        known.compute(slotId, (id, old) -> {
            fresh[0] = old != null && old.doc() != null && read.etag() != null && read.etag().equals(old.etag())
                    ? old : new Known(read.value(), read.etag(), false);
            return old == null || old.doc() == null || fresh[0].doc().writes() >= old.doc().writes() ? fresh[0] : old;
        });
        return fresh[0];
    }

    /** Records that {@code k}'s last write is copied out, unless a newer document of the slot is cached by now. */
    Known markDone(String slotId, Known k) {
        Known done = new Known(k.doc(), k.etag(), true);
        known.compute(slotId, (id, latest) -> latest == null || Objects.equals(latest.etag(), k.etag()) ? done : latest);
        return done;
    }

    ReentrantLock lockFor(String slotId) {
        return slotLocks[Math.floorMod(slotId.hashCode(), LOCK_STRIPES)];
    }

    Mono<Optional<Read<SlotDoc>>> readSlot(String slotId) {
        return docs.read(slotId, Keys.SLOT_DOC, SlotDoc.class);
    }
}
