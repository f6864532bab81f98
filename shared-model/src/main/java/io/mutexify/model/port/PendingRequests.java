package io.mutexify.model.port;

import java.util.Optional;

/**
 * Durable "sent, not answered yet" records of client commands, written before the command is sent.
 * With several Frontface instances a poll of {@code /api/v1/requests/{id}} may land on any of them,
 * and a waiter's grant may be made by any Lockkeeper instance: both find here what one JVM's memory
 * would only know on the instance that sent the command.
 */
public interface PendingRequests {
    /** Where the reply to a request goes: a reply queue and its session (the sending Frontface instance). */
    record ReplyAddress(String queue, String session) {
    }

    /** Records that {@code requestId} (for {@code slotId}) is about to be sent, and where its reply goes. */
    void sent(String requestId, String slotId, ReplyAddress replyTo);

    /** Whether {@code requestId} was sent recently enough that its reply may still come. */
    boolean isPending(String requestId);

    /** The reply address recorded for {@code requestId}, while the record lasts. */
    Optional<ReplyAddress> replyAddress(String requestId);

    /** Keeps nothing: one JVM's memory is all a single-instance server needs. */
    PendingRequests NONE = new PendingRequests() {
        @Override
        public void sent(String requestId, String slotId, ReplyAddress replyTo) {
        }

        @Override
        public boolean isPending(String requestId) {
            return false;
        }

        @Override
        public Optional<ReplyAddress> replyAddress(String requestId) {
            return Optional.empty();
        }
    };
}
