package io.mutexify.frontface.dispatch;

import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.port.CommandQueue;
import io.mutexify.model.port.QueueFullException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A command queue that keeps what it is sent, and refuses everything once told it is full. */
final class RecordingQueue implements CommandQueue {
    private final List<SlotCommand> sent = new CopyOnWriteArrayList<>();
    private volatile boolean full;

    /** Every command sent so far, in order. */
    List<SlotCommand> sent() {
        return sent;
    }

    /** From now on every send throws {@link QueueFullException}. */
    void fill() {
        full = true;
    }

    @Override
    public void send(SlotCommand command) {
        if (full) {
            throw new QueueFullException("full", 1);
        }
        sent.add(command);
    }

    @Override
    public void schedule(ScheduledCommand scheduled) {
    }

    @Override
    public boolean isReachable() {
        return true;
    }
}
