package io.mutexify.azure.cosmos;

import io.mutexify.azure.cosmos.DocumentTypes.PendingDoc;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.port.PendingRequests;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link PendingRequests} on Cosmos DB: one small document per sent client command, in the same
 * {@code $req:<bucket>} partition as the request's reply pointer, written (an upsert) before the
 * command is sent and deleted by Cosmos DB when its {@code ttl} passes (the command's wait plus
 * {@link PendingRequests#LIFETIME}). Reads are point reads, and only on the rare paths: a poll that
 * finds no reply yet, the first poll of a long wait on an instance that did not send it, or a
 * waiter's grant made by a Lockkeeper instance that did not see the request arrive.
 */
public final class CosmosPendingRequests implements PendingRequests {
    private final DocumentClient docs;
    private final Clock clock;

    CosmosPendingRequests(DocumentClient docs, Clock clock) {
        this.docs = docs;
        this.clock = clock;
    }

    private static String docId(String requestId) {
        return "pending:" + Keys.id(requestId);
    }

    @Override
    public void sent(SlotCommand command, ReplyAddress replyTo) {
        String requestId = Objects.requireNonNull(command.requestId(), "requestId");
        String pk = Keys.requestPartition(requestId);
        boolean longWait = command instanceof Acquire a && a.longWaitCallSeconds() != null;
        DocumentClient.await("record pending request", docs.upsert(pk, new PendingDoc(docId(requestId), pk, "pending",
                requestId, command.slotId(), replyTo == null ? null : replyTo.queue(),
                replyTo == null ? null : replyTo.session(), clock.instant(),
                (int) PendingRequests.lifetimeOf(command).toSeconds(),
                command.actor() == null ? null : command.actor().principal(), longWait ? Boolean.TRUE : null)));
    }

    @Override
    public boolean isPending(String requestId) {
        return read(requestId).isPresent();
    }

    @Override
    public Optional<ReplyAddress> replyAddress(String requestId) {
        return read(requestId).filter(d -> d.replyQueue() != null && d.replySession() != null)
                .map(d -> new ReplyAddress(d.replyQueue(), d.replySession()));
    }

    @Override
    public Optional<LongWait> longWait(String requestId) {
        return read(requestId).filter(d -> Boolean.TRUE.equals(d.longWait()) && d.principal() != null)
                .map(d -> new LongWait(d.slotId(), d.principal()));
    }

    /** The record while it lasts; the test server keeps expired documents, so the age is checked here as well. */
    private Optional<PendingDoc> read(String requestId) {
        return DocumentClient.await("read pending request",
                        docs.read(Keys.requestPartition(requestId), docId(requestId), PendingDoc.class))
                .map(DocumentClient.Read::value)
                .filter(d -> requestId.equals(d.requestId()))
                .filter(d -> d.at() != null && d.at().plus(lifetime(d)).isAfter(clock.instant()));
    }

    private static Duration lifetime(PendingDoc d) {
        return d.ttl() != null ? Duration.ofSeconds(d.ttl()) : LIFETIME;
    }
}
