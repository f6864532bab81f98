package io.mutexify.azure.cosmos;

import io.mutexify.azure.cosmos.DocumentClient.Read;
import io.mutexify.azure.cosmos.DocumentTypes.CatalogDoc;
import io.mutexify.azure.cosmos.DocumentTypes.HistoryDoc;
import io.mutexify.azure.cosmos.DocumentTypes.MarkerDoc;
import io.mutexify.azure.cosmos.DocumentTypes.PointerDoc;
import io.mutexify.azure.cosmos.DocumentTypes.PublishedDoc;
import io.mutexify.azure.cosmos.DocumentTypes.ReplyDoc;
import io.mutexify.azure.cosmos.DocumentTypes.SlotDoc;
import io.mutexify.azure.cosmos.DocumentTypes.WriteRecord;
import io.mutexify.azure.cosmos.KnownSlots.Known;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.SlotWrite;
import io.mutexify.model.slot.SlotState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The commit side of {@link CosmosSlotStore}: one conditional write of the slot document, the
 * documents it needs first (pointers, catalog, pending marker), and copying its records out after.
 */
final class SlotCommits {
    private static final Logger LOG = LoggerFactory.getLogger(CosmosSlotStore.class);
    /** Re-reads after a 412 whose version had not moved (a concurrent reply-only write) before giving up as a conflict. */
    private static final int MAX_ETAG_RETRIES = 8;

    private final DocumentClient docs;
    private final KnownSlots cache;
    private final OutboxLog outbox;
    private final CosmosSlotStore.Tuning tuning;
    private final String instanceId;
    /** Set when copying out failed, so the outbox sweep runs at its next chance. */
    private final AtomicBoolean sweepSoon;

    SlotCommits(DocumentClient docs, KnownSlots cache, OutboxLog outbox, CosmosSlotStore.Tuning tuning,
                String instanceId, AtomicBoolean sweepSoon) {
        this.docs = docs;
        this.cache = cache;
        this.outbox = outbox;
        this.tuning = tuning;
        this.instanceId = instanceId;
        this.sweepSoon = sweepSoon;
    }

    boolean commit(SlotWrite write) {
        check(write);
        ReentrantLock lock = cache.lockFor(write.slotId());
        lock.lock();
        try {
            return commitLocked(write);
        } finally {
            lock.unlock();
        }
    }

    private static void check(SlotWrite write) {
        Objects.requireNonNull(write, "write");
        Keys.checkSlotId(write.slotId());
        if (write.expectedVersion() < 0) {
            throw new IllegalArgumentException("expectedVersion must not be negative: " + write.expectedVersion());
        }
        if (write.newState() != null && !write.slotId().equals(write.newState().id())) {
            throw new IllegalArgumentException("state of slot " + write.newState().id() + " written to slot "
                    + write.slotId());
        }
        for (Reply r : write.replies()) {
            if (r.requestId() == null) {
                throw new IllegalArgumentException("a stored reply needs a request id");
            }
        }
    }

    /** What a commit already wrote before its slot document, so a retry after a 412 does not write it again. */
    private final class Prepared {
        final String slotId;
        boolean pointers;
        boolean catalog;
        String markerEtag;

        Prepared(String slotId) {
            this.slotId = slotId;
        }

        /** Removes this commit's pending marker, if the commit wrote one; best effort (the sweep removes leftovers). */
        void dropMarker() {
            if (markerEtag == null) {
                return;
            }
            try {
                DocumentClient.await("drop pending marker", docs.delete(Keys.PENDING, Keys.id(slotId), markerEtag));
            } catch (RuntimeException e) {
                LOG.debug("slot {}: pending marker left for the sweep: {}", slotId, e.toString());
            }
            markerEtag = null;
        }
    }

    private boolean commitLocked(SlotWrite write) {
        String slotId = write.slotId();
        long expected = write.expectedVersion();
        Instant at = write.at() != null ? write.at() : tuning.clock().instant();
        String writeId = UUID.randomUUID().toString();
        Prepared prepared = new Prepared(slotId);
        Known cur = current(slotId, expected);
        for (int attempt = 1; ; attempt++) {
            if (conflicts(cur, expected)) {
                prepared.dropMarker();
                return false;
            }
            if (cur.doc() != null && !cur.done()) {
                // The slot's last write (another process's, or one of ours that failed half-way) may not
                // be copied out yet; lastWrite is about to be replaced, so finish it first.
                finishPrevious(slotId, cur.doc());
                cur = cache.markDone(slotId, cur);
            }
            prepare(write, cur, at, prepared);
            SlotDoc next = next(write, cur.doc(), writeId, at, instanceId, tuning.clock().instant());
            Optional<String> etag = DocumentClient.await("commit slot", cur.doc() == null
                    ? docs.create(slotId, next)
                    : docs.replace(slotId, Keys.SLOT_DOC, next, cur.etag()));
            if (etag.isEmpty()) {
                Optional<Read<SlotDoc>> now = DocumentClient.await("commit slot", cache.readSlot(slotId));
                if (now.isPresent() && writeId.equals(now.get().value().writeId())) {
                    // An earlier try timed out, but landed: that is our commit.
                    etag = Optional.of(now.get().etag());
                } else {
                    cur = now.map(r -> cache.remember(slotId, r)).orElse(Known.ABSENT);
                    if (attempt >= MAX_ETAG_RETRIES) {
                        LOG.warn("slot {}: still changing after {} tries, reporting a conflict", slotId, attempt);
                        prepared.dropMarker();
                        return false;
                    }
                    continue;
                }
            }
            cache.put(slotId, new Known(next, etag.get(), false));
            if (tuning.stopAfterSlotWrite()) {
                return true;
            }
            try {
                copyOut(slotId, next.lastWrite(), true);
                cache.markDone(slotId, new Known(next, etag.get(), false));
                prepared.dropMarker();
            } catch (RuntimeException e) {
                sweepSoon.set(true);
                // Committed all the same: lastWrite holds everything, the next commit or the sweep finishes it.
                LOG.warn("slot {}: committed, but copying out its records failed; they stay in the slot document"
                        + " until the next commit or the outbox sweep: {}", slotId, e.getMessage());
            }
            return true;
        }
    }

    /** The slot document to check {@code expected} against: the cached one if it can decide, else a fresh read. */
    private Known current(String slotId, long expected) {
        Known k = cache.get(slotId);
        // Versions never go back: a cached version above the expected one is a conflict for sure.
        if (k != null && k.doc() != null && k.doc().version() >= expected) {
            return k;
        }
        return DocumentClient.await("commit slot", cache.readSlot(slotId)).map(r -> cache.remember(slotId, r)).orElse(Known.ABSENT);
    }

    private static boolean conflicts(Known cur, long expected) {
        return cur.doc() == null ? expected != 0 : cur.doc().version() != expected;
    }

    /** Writes what must exist before the slot document: request pointers, the catalog entry, the pending marker. */
    private void prepare(SlotWrite write, Known cur, Instant at, Prepared p) {
        String slotId = write.slotId();
        List<Mono<?>> ops = new ArrayList<>();
        if (!p.pointers) {
            for (Reply r : write.replies()) {
                ops.add(docs.upsert(Keys.requestPartition(r.requestId()), new PointerDoc(Keys.id(r.requestId()),
                        Keys.requestPartition(r.requestId()), "pointer", r.requestId(), slotId, at, replyTtlSeconds())));
            }
        }
        boolean firstState = write.newState() != null && (cur.doc() == null || cur.doc().state() == null);
        if (!p.catalog && firstState) {
            ops.add(docs.upsert(Keys.CATALOG, new CatalogDoc(Keys.id(slotId), Keys.CATALOG, "catalog", slotId)));
        }
        Mono<String> marker = null;
        if (p.markerEtag == null && !write.events().isEmpty()) {
            marker = docs.upsert(Keys.PENDING, new MarkerDoc(Keys.id(slotId), Keys.PENDING, "marker", slotId,
                    instanceId, tuning.clock().instant()));
        }
        String markerEtag = DocumentClient.await("prepare commit", Mono.zip(
                Flux.fromIterable(ops).flatMap(m -> m, CosmosSlotStore.PARALLEL_READS).then(Mono.just("")),
                marker == null ? Mono.just("") : marker).map(t -> t.getT2()));
        p.pointers = true;
        p.catalog = p.catalog || firstState;
        if (marker != null) {
            p.markerEtag = markerEtag;
        }
    }

    private Integer replyTtlSeconds() {
        return (int) Math.min(Integer.MAX_VALUE, tuning.replyTtl().toSeconds());
    }

    private static SlotDoc next(SlotWrite write, SlotDoc cur, String writeId, Instant at, String publisher,
                                Instant now) {
        long version = write.newState() != null ? write.expectedVersion() + 1 : write.expectedVersion();
        SlotState state = write.newState() != null ? write.newState().withVersion(version)
                : cur == null ? null : cur.state();
        long n = (cur == null ? 0 : cur.writes()) + 1;
        long historyCount = cur == null ? 0 : cur.historyCount();
        long historyK = write.history().isEmpty() ? 0 : historyCount + 1;
        WriteRecord record = new WriteRecord(n, historyK, at, write.replies(), write.events(), write.history(),
                publisher, now);
        return new SlotDoc(Keys.SLOT_DOC, write.slotId(), "slot", version, state, n,
                historyK == 0 ? historyCount : historyK, writeId, record);
    }

    /**
     * Copies a commit's records out of the slot document: reply and history documents (upserts, in
     * parallel) and the events to the outbox log. {@code fresh}: this process just wrote it, so its
     * events cannot be in the log yet; otherwise the slot's {@code published} document decides, and
     * another live instance's commit is left to that instance to publish (see {@link #publishedBy}).
     */
    private void copyOut(String slotId, WriteRecord w, boolean fresh) {
        if (w == null) {
            return;
        }
        List<Mono<String>> ops = new ArrayList<>();
        for (Reply r : w.replies()) {
            ops.add(docs.upsert(slotId, new ReplyDoc(Keys.replyDoc(r.requestId()), slotId, "reply", r.requestId(), r,
                    w.at(), replyTtlSeconds())));
        }
        if (!w.history().isEmpty()) {
            ops.add(docs.upsert(slotId, new HistoryDoc(Keys.historyDoc(w.historyK()), slotId, "history",
                    w.historyK(), w.history())));
        }
        CompletableFuture<Void> copies = Flux.fromIterable(ops).flatMap(m -> m, CosmosSlotStore.PARALLEL_READS).then().toFuture();
        RuntimeException failure = null;
        try {
            if (!w.events().isEmpty() && (fresh || !publishedBy(slotId, w))) {
                outbox.append(slotId, w.n(), w.events(), w.at());
                DocumentClient.await("mark published", docs.upsert(slotId,
                        new PublishedDoc(Keys.PUBLISHED_DOC, slotId, "published", w.n())));
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            DocumentClient.await("copy out records", Mono.fromFuture(copies));
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Whether commit {@code w}'s events are in the log. When another store instance committed it
     * less than the sweep grace ago, that instance is most likely publishing right now: wait for it
     * rather than publish the events a second time; past the grace it is presumed dead, and we take over.
     */
    private boolean publishedBy(String slotId, WriteRecord w) {
        boolean someoneElses = w.publisher() != null && !w.publisher().equals(instanceId) && w.committedAt() != null;
        Instant deadline = someoneElses ? w.committedAt().plus(tuning.sweepGrace()) : Instant.MIN;
        long pauseMillis = 5;
        while (true) {
            boolean published = DocumentClient.await("read published", docs.read(slotId, Keys.PUBLISHED_DOC, PublishedDoc.class))
                    .map(r -> r.value().upTo() >= w.n()).orElse(false);
            if (published || !tuning.clock().instant().isBefore(deadline)) {
                if (!published && someoneElses) {
                    LOG.warn("slot {}: commit {} of another instance is still unpublished after {}; publishing it",
                            slotId, w.n(), tuning.sweepGrace());
                }
                return published;
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CosmosStoreException("interrupted while waiting for another instance to publish");
            }
            pauseMillis = Math.min(pauseMillis * 2, 200);
        }
    }

    /** Copies out the last write of a slot document this process may not have finished. */
    void finishPrevious(String slotId, SlotDoc doc) {
        copyOut(slotId, doc.lastWrite(), false);
    }
}
