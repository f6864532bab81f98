package io.mutexify.model.port;

import io.mutexify.model.event.LockEvent;
import java.util.List;

/** Delivers events to subscribers; throws if they were not all accepted, so the outbox keeps them. */
public interface EventPublisher {
    void publish(List<LockEvent> events) throws Exception;
}
