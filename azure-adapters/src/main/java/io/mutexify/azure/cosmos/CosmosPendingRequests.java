package io.mutexify.azure.cosmos;

import io.mutexify.azure.cosmos.Docs.PendingDoc;
import io.mutexify.model.port.PendingRequests;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link PendingRequests} on Cosmos DB: one small document per sent client command, in the same
 * {@code $req:<bucket>} partition as the request's reply pointer, written (an upsert) before the
 * command is sent and deleted by Cosmos DB when its {@code ttl} passes. Reads are point reads, and
 * only on the rare paths: a poll that finds no reply yet, or a waiter's grant made by a Lockkeeper
 * instance that did not see the request arrive.
 */
public final class CosmosPendingRequests implements PendingRequests {
    /** Longer than the longest wait (60 s) plus any reply timeout (120 s), with room for a retry. */
    public static final Duration LIFETIME = Duration.ofMinutes(15);

    private final Documents docs;
    private final Clock clock;

    CosmosPendingRequests(Documents docs, Clock clock) {
        this.docs = docs;
        this.clock = clock;
    }

    private static String docId(String requestId) {
        return "pending:" + Keys.id(requestId);
    }

    @Override
    public void sent(String requestId, String slotId, ReplyAddress replyTo) {
        Objects.requireNonNull(requestId, "requestId");
        String pk = Keys.requestPartition(requestId);
        Documents.await("record pending request", docs.upsert(pk, new PendingDoc(docId(requestId), pk, "pending",
                requestId, slotId, replyTo == null ? null : replyTo.queue(), replyTo == null ? null : replyTo.session(),
                clock.instant(), (int) LIFETIME.toSeconds())));
    }

    @Override
    public boolean isPending(String requestId) {
        // The test server keeps expired documents, so the age is checked here as well.
        return read(requestId).filter(d -> d.at() != null && d.at().plus(LIFETIME).isAfter(clock.instant())).isPresent();
    }

    @Override
    public Optional<ReplyAddress> replyAddress(String requestId) {
        return read(requestId).filter(d -> d.replyQueue() != null && d.replySession() != null)
                .map(d -> new ReplyAddress(d.replyQueue(), d.replySession()));
    }

    private Optional<PendingDoc> read(String requestId) {
        return Documents.await("read pending request",
                        docs.read(Keys.requestPartition(requestId), docId(requestId), PendingDoc.class))
                .map(Documents.Read::value)
                .filter(d -> requestId.equals(d.requestId()));
    }
}
