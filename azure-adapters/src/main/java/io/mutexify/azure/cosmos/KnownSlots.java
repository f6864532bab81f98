package io.mutexify.azure.cosmos;

import io.mutexify.azure.cosmos.DocumentClient.Read;
import io.mutexify.azure.cosmos.DocumentTypes.SlotDoc;
import java.util.Collections;
import java.util.LinkedHashMap;
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
    private final Map<String, Known> known = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
            return size() > CACHE_SIZE;
        }
    });
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
        synchronized (known) {
            Known old = known.get(slotId);
            Known fresh = old != null && old.doc() != null && read.etag() != null && read.etag().equals(old.etag())
                    ? old : new Known(read.value(), read.etag(), false);
            if (old == null || old.doc() == null || fresh.doc().writes() >= old.doc().writes()) {
                known.put(slotId, fresh);
            }
            return fresh;
        }
    }

    Known markDone(String slotId, Known k) {
        Known done = new Known(k.doc(), k.etag(), true);
        synchronized (known) {
            Known latest = known.get(slotId);
            if (latest == null || Objects.equals(latest.etag(), k.etag())) {
                known.put(slotId, done);
            }
        }
        return done;
    }

    ReentrantLock lockFor(String slotId) {
        return slotLocks[Math.floorMod(slotId.hashCode(), LOCK_STRIPES)];
    }

    Mono<Optional<Read<SlotDoc>>> readSlot(String slotId) {
        return docs.read(slotId, Keys.SLOT_DOC, SlotDoc.class);
    }
}
