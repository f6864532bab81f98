package io.mutexify.azure.cosmos;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.SlotState;
import java.time.Instant;
import java.util.List;

/**
 * The documents the store keeps in its one container (partition key path {@code /pk}). Every
 * document carries its {@code id}, its partition key {@code pk} and a {@code type}. Documents with
 * a {@code ttl} (seconds) are deleted by Cosmos DB itself once it has passed (the container's
 * {@code defaultTtl} is -1: on, but nothing expires unless it says so); without one they stay.
 */
final class DocumentTypes {
    private DocumentTypes() {
    }

    /**
     * The slot: its state (null while never registered), the optimistic-concurrency {@code version},
     * counters, and the last write's records. Replacing this one document (If-Match its ETag) is the
     * atomic commit: the replies, events and history of the write travel inside it as
     * {@code lastWrite}, and are copied out to documents of their own afterwards.
     *
     * @param writes       how many commits this slot has had (reply-only ones too)
     * @param historyCount how many history documents the slot has
     * @param writeId      unique per commit call: recognises our own write after an ambiguous failure
     */
    record SlotDoc(String id, String pk, String type, long version, SlotState state, long writes,
                   long historyCount, String writeId, WriteRecord lastWrite) {
    }

    /**
     * What one commit recorded besides the state.
     *
     * @param n           the commit's number within the slot ({@code SlotDoc.writes} after it)
     * @param historyK    the number of its history document, 0 when it ended no hold
     * @param publisher   the store instance that committed it, and publishes its events
     * @param committedAt when (its wall clock): another instance takes over the publishing only
     *                    once the sweep grace has passed since
     */
    record WriteRecord(long n, long historyK, Instant at, List<Reply> replies, List<LockEvent> events,
                       List<HistoryEntry> history, String publisher, Instant committedAt) {
        WriteRecord {
            replies = replies == null ? List.of() : List.copyOf(replies);
            events = events == null ? List.of() : List.copyOf(events);
            history = history == null ? List.of() : List.copyOf(history);
        }
    }

    /** A recorded reply, in its slot's partition, id {@code reply:<request id>}. */
    record ReplyDoc(String id, String pk, String type, String requestId, Reply reply, Instant at,
                    @JsonInclude(JsonInclude.Include.NON_NULL) Integer ttl) {
    }

    /** The history a commit recorded, in its slot's partition, id {@code history:<k>}: oldest first. */
    record HistoryDoc(String id, String pk, String type, long k, List<HistoryEntry> entries) {
    }

    /** In a slot's partition: the slot's events are in the outbox log up to its write {@code upTo}. */
    record PublishedDoc(String id, String pk, String type, long upTo) {
    }

    /** One per slot written with state, in partition {@code $catalog}. */
    record CatalogDoc(String id, String pk, String type, String slotId) {
    }

    /**
     * Where a request's reply lives: written before the commit that records the reply, in one of
     * the {@code $req:<bucket>} partitions. Without a reply beside it, it means "no reply yet".
     */
    record PointerDoc(String id, String pk, String type, String requestId, String slotId, Instant at,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Integer ttl) {
    }

    /**
     * A client command a Frontface is about to send, in the request's {@code $req:<bucket>}
     * partition, id {@code pending:<request id>}: any Frontface instance answers 202 for it, and any
     * Lockkeeper instance finds where its reply goes; for a long wait, any Frontface instance finds its
     * slot and principal, to pass its polls on. Expires by its {@code ttl}, set to outlast the wait.
     */
    record PendingDoc(String id, String pk, String type, String requestId, String slotId, String replyQueue,
                      String replySession, Instant at, @JsonInclude(JsonInclude.Include.NON_NULL) Integer ttl,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String principal,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean longWait) {
    }

    /**
     * "This slot may have events not yet in the outbox log", in partition {@code $pending}, written
     * before the commit by store instance {@code owner} at {@code at} (wall clock).
     */
    record MarkerDoc(String id, String pk, String type, String slotId, String owner, Instant at) {
    }

    /**
     * One commit's events in the global outbox log (partition {@code $outbox}), id {@code log:<n>}.
     * The event at index i has outbox seq {@code n * STRIDE + offset + i}; a partly pruned document
     * keeps its later events with a higher offset.
     */
    record LogDoc(String id, String pk, String type, long n, String slotId, long write, int offset,
                  List<LockEvent> events, Instant at, String publishId,
                  @JsonInclude(JsonInclude.Include.NON_NULL) Integer ttl) {
        LogDoc {
            events = events == null ? List.of() : List.copyOf(events);
        }
    }

    /** In {@code $outbox}: log documents up to {@code n} were pruned or may expire, so new ones are numbered above it. */
    record FloorDoc(String id, String pk, String type, long n) {
    }

    /** An outbox subscriber's delivery cursor, in partition {@code $cursors}. */
    record CursorDoc(String id, String pk, String type, String subscriber, long seq) {
    }
}
