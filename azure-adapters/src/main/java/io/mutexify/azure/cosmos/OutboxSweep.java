package io.mutexify.azure.cosmos;

import io.mutexify.azure.cosmos.DocumentClient.Read;
import io.mutexify.azure.cosmos.DocumentTypes.CursorDoc;
import io.mutexify.azure.cosmos.DocumentTypes.MarkerDoc;
import io.mutexify.azure.cosmos.DocumentTypes.PointerDoc;
import io.mutexify.azure.cosmos.DocumentTypes.SlotDoc;
import io.mutexify.azure.cosmos.KnownSlots.Known;
import io.mutexify.model.port.OutboxEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

/**
 * The outbox side of {@link CosmosSlotStore}: reading the log after finishing commits whose events
 * may not have reached it, subscribers' cursors, and pruning what is delivered or old.
 */
final class OutboxSweep {
    private static final Logger LOG = LoggerFactory.getLogger(CosmosSlotStore.class);
    /** A cached cursor is re-read after this long, in case another instance's relay moved it. */
    private static final Duration CURSOR_REFRESH = Duration.ofSeconds(5);

    private final DocumentClient docs;
    private final KnownSlots cache;
    private final SlotCommits commits;
    private final OutboxLog outbox;
    private final CosmosSlotStore.Tuning tuning;
    private final String instanceId;
    private final boolean expiresByTtl;
    private final AtomicBoolean sweepSoon;
    /** Cursors this process read or saved, and when (nanoTime): the relay asks every round. */
    private final Map<String, long[]> cursors = new ConcurrentHashMap<>();
    /** When the pending markers were last swept (nanoTime); the sweep lists a partition, so it is rationed. */
    private volatile long lastSweep = Long.MIN_VALUE;

    OutboxSweep(DocumentClient docs, KnownSlots cache, SlotCommits commits, OutboxLog outbox,
                CosmosSlotStore.Tuning tuning, String instanceId, boolean expiresByTtl, AtomicBoolean sweepSoon) {
        this.docs = docs;
        this.cache = cache;
        this.commits = commits;
        this.outbox = outbox;
        this.tuning = tuning;
        this.instanceId = instanceId;
        this.expiresByTtl = expiresByTtl;
        this.sweepSoon = sweepSoon;
    }

    /**
     * Entries of the global outbox log after {@code afterSeq}. First it finishes commits whose events
     * may not have reached the log (pending markers: this process's at once, other processes' once
     * older than the sweep grace), so a crash between commit and publish only delays an event.
     */
    List<OutboxEntry> outboxAfter(long afterSeq, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        long now = System.nanoTime();
        // Markers of this process are left only by a failure (which asks for a sweep); other processes'
        // are looked at once older than the grace, so sweeping more often than that finds nothing new.
        if (sweepSoon.get() || now - lastSweep >= tuning.sweepGrace().toNanos()) {
            sweepSoon.set(false);
            lastSweep = now;
            sweep();
        }
        return outbox.after(afterSeq, limit);
    }

    private void sweep() {
        List<Read<MarkerDoc>> markers = DocumentClient.await("read pending markers",
                docs.readAll(Keys.PENDING, "marker", MarkerDoc.class));
        Instant now = tuning.clock().instant();
        for (Read<MarkerDoc> m : markers) {
            MarkerDoc marker = m.value();
            boolean ours = instanceId.equals(marker.owner());
            if (!ours && marker.at() != null && Duration.between(marker.at(), now).compareTo(tuning.sweepGrace()) < 0) {
                continue; // another process may be in the middle of that commit
            }
            ReentrantLock lock = cache.lockFor(marker.slotId());
            lock.lock();
            try {
                Optional<Read<SlotDoc>> slot = DocumentClient.await("sweep slot", cache.readSlot(marker.slotId()));
                if (slot.isPresent()) {
                    Known k = cache.remember(marker.slotId(), slot.get());
                    if (!k.done()) {
                        commits.finishPrevious(marker.slotId(), slot.get().value());
                        cache.markDone(marker.slotId(), k);
                    }
                }
                DocumentClient.await("drop pending marker", docs.delete(Keys.PENDING, marker.id(), m.etag()));
            } catch (RuntimeException e) {
                sweepSoon.set(true);
                LOG.warn("outbox sweep of slot {} failed, retrying on the next read: {}", marker.slotId(), e.getMessage());
            } finally {
                lock.unlock();
            }
        }
    }

    long cursor(String subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        long[] known = cursors.get(subscriber);
        if (known != null && System.nanoTime() - known[1] < CURSOR_REFRESH.toNanos()) {
            return known[0];
        }
        long seq = DocumentClient.await("read cursor", docs.read(Keys.CURSORS, Keys.id(subscriber), CursorDoc.class))
                .map(r -> r.value().seq()).orElse(0L);
        cursors.put(subscriber, new long[] {seq, System.nanoTime()});
        return seq;
    }

    /** Saves the cursor; with TTL on, the log documents it passed are given a ttl (see {@link OutboxLog#delivered}). */
    void saveCursor(String subscriber, long seq) {
        Objects.requireNonNull(subscriber, "subscriber");
        DocumentClient.await("save cursor", docs.upsert(Keys.CURSORS,
                new CursorDoc(Keys.id(subscriber), Keys.CURSORS, "cursor", subscriber, seq)));
        cursors.put(subscriber, new long[] {seq, System.nanoTime()});
        if (expiresByTtl) {
            try {
                outbox.delivered(seq);
            } catch (RuntimeException e) {
                LOG.debug("delivered events keep no ttl for now: {}", e.toString());
            }
        }
    }

    /**
     * Deletes replies recorded before {@code before} (listing the pointer partitions, not the slots)
     * and the outbox entries every subscriber delivered (with no subscribers: those recorded before
     * {@code before}). History and slots stay. Only for a container without TTL (the test server):
     * with TTL those documents carry a {@code ttl} and Cosmos DB deletes them, so this reads nothing.
     */
    int prune(Instant before, List<String> subscribers) {
        Objects.requireNonNull(before, "before");
        List<String> subs = List.copyOf(subscribers);
        if (expiresByTtl) {
            return 0; // replies, pointers and delivered events carry a ttl: Cosmos DB deletes them, no listing
        }
        // Pointers older than `before`, from all buckets at once; each names the reply document to delete.
        List<Read<PointerDoc>> old = DocumentClient.await("prune replies", Flux.range(0, Keys.REQUEST_BUCKETS)
                .flatMap(b -> docs.readAll(Keys.requestPartition(b), "pointer", PointerDoc.class), CosmosSlotStore.PARALLEL_READS)
                .flatMapIterable(list -> list)
                .filter(p -> p.value().at() != null && p.value().at().isBefore(before))
                .collectList());
        int removed = DocumentClient.await("prune replies", Flux.fromIterable(old)
                .flatMap(p -> docs.delete(p.value().slotId(), Keys.replyDoc(p.value().requestId()), null)
                        .flatMap(gone -> docs.delete(p.value().pk(), p.value().id(), p.etag()).thenReturn(gone)),
                        CosmosSlotStore.PARALLEL_READS)
                .filter(gone -> gone)
                .count()).intValue();
        Long delivered = null;
        if (!subs.isEmpty()) {
            delivered = Long.MAX_VALUE;
            for (String s : subs) {
                delivered = Math.min(delivered, cursor(s));
            }
        }
        removed += outbox.prune(before, delivered);
        return removed;
    }
}
