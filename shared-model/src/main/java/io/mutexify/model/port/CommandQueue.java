package io.mutexify.model.port;

import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;

/** The request queue: per-slot sessions, delivered in order to one consumer per slot at a time. */
public interface CommandQueue {
    /** Enqueues a command on its slot's session; throws {@link QueueFullException} when the queue is full. */
    void send(SlotCommand command);

    /** Delivers a command on its slot's session no earlier than {@code scheduled.at()}. */
    void schedule(ScheduledCommand scheduled);

    /** Whether the queue accepts commands (for readiness). */
    boolean isReachable();
}
