package io.mutexify.azure.functions.frontface;

import io.mutexify.frontface.dispatch.RequestIds;
import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.CommandQueue;
import io.mutexify.model.port.ReplySink;
import io.mutexify.model.port.SlotReader;
import java.util.Optional;

/**
 * Answers a retried command from the store instead of sending it again. The request queue's
 * duplicate detection drops a second message with the same MessageId (= request id) for as long
 * as its window lasts, so a client retry (same {@code Idempotency-Key}) of a call that already
 * finished would get no reply and wait for the 202. Only keyed requests ({@code k-…}) can be
 * retries, so only they pay the one point read; random ids ({@code r-…}) go straight to the queue.
 */
final class StoredReplyFirst implements CommandQueue {
    private final CommandQueue queue;
    private final SlotReader reader;
    private final ReplySink replies;

    StoredReplyFirst(CommandQueue queue, SlotReader reader, ReplySink replies) {
        this.queue = queue;
        this.reader = reader;
        this.replies = replies;
    }

    @Override
    public void send(SlotCommand command) {
        if (RequestIds.isKeyed(command.requestId())) {
            Optional<Reply> stored = reader.findReply(command.requestId());
            if (stored.isPresent()) {
                replies.send(stored.get());
                return;
            }
        }
        queue.send(command);
    }

    @Override
    public void schedule(ScheduledCommand scheduled) {
        queue.schedule(scheduled);
    }

    @Override
    public boolean isReachable() {
        return queue.isReachable();
    }
}
