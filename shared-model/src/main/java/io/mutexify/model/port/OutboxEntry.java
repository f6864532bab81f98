package io.mutexify.model.port;

import io.mutexify.model.event.LockEvent;

/** An event waiting in the outbox, in commit order by {@code seq}. */
public record OutboxEntry(long seq, LockEvent event) {
}
