package io.mutexify.azure.functions.frontface;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.azure.core.util.BinaryData;
import com.azure.core.util.IterableStream;
import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.ServiceBusSessionReceiverClient;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A stand-in for Service Bus with the semantics Mutexify relies on: session queues (FIFO per
 * session, one consumer holds a session at a time), duplicate detection by MessageId, scheduled
 * enqueue time, redelivery with DeliveryCount, and dead-lettering after {@code maxDeliveryCount}.
 * Senders and session receivers are Mockito mocks of the SDK clients that talk to it.
 *
 * <p>Faults: with {@link #sessionLockDuration} set, an accepted session's lock lapses that long after
 * it was accepted or last renewed ({@code renewSessionLock}). Like a real link whose lock was lost,
 * the receiver then quietly receives nothing, its completes fail, and a renewal throws.
 */
final class InMemoryServiceBus {
    /** One message as the broker keeps it. */
    record Msg(byte[] body, String sessionId, String messageId, String replyTo, String replyToSessionId,
               String correlationId, Map<String, Object> properties, Instant visibleAt, int deliveryCount) {
        Msg redelivered() {
            return new Msg(body, sessionId, messageId, replyTo, replyToSessionId, correlationId, properties, visibleAt,
                    deliveryCount + 1);
        }
    }

    /** What a consumer of the request queue does with a message; throwing abandons it. */
    interface Handler {
        void handle(Msg m) throws Exception;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Map<String, Deque<Msg>>> queues = new HashMap<>();
    private final Map<String, Set<String>> seenIds = new HashMap<>();
    private final Set<String> lockedSessions = new HashSet<>();
    final List<Msg> deadLetters = new ArrayList<>();
    private final int maxDeliveryCount;
    /** How long an accepted session stays locked without a renewal; null: for ever. */
    volatile Duration sessionLockDuration;

    InMemoryServiceBus(int maxDeliveryCount) {
        this.maxDeliveryCount = maxDeliveryCount;
    }

    /** A mocked {@link ServiceBusSenderClient} on {@code queue}. */
    ServiceBusSenderClient sender(String queue) {
        ServiceBusSenderClient sender = mock(ServiceBusSenderClient.class);
        doAnswer(inv -> {
            enqueue(queue, inv.getArgument(0), Instant.now());
            return null;
        }).when(sender).sendMessage(any(ServiceBusMessage.class));
        doAnswer(inv -> {
            enqueue(queue, inv.getArgument(0), ((OffsetDateTime) inv.getArgument(1)).toInstant());
            return 1L;
        }).when(sender).scheduleMessage(any(ServiceBusMessage.class), any(OffsetDateTime.class));
        return sender;
    }

    private void enqueue(String queue, ServiceBusMessage m, Instant visibleAt) {
        if (m.getSessionId() == null) {
            throw new IllegalArgumentException("session-enabled queue " + queue + " refuses a message without SessionId");
        }
        lock.lock();
        try {
            if (m.getMessageId() != null && !seenIds.computeIfAbsent(queue, k -> new HashSet<>()).add(m.getMessageId())) {
                return; // duplicate detection
            }
            queues.computeIfAbsent(queue, k -> new HashMap<>())
                    .computeIfAbsent(m.getSessionId(), k -> new ArrayDeque<>())
                    .addLast(new Msg(m.getBody().toBytes(), m.getSessionId(), m.getMessageId(), m.getReplyTo(),
                            m.getReplyToSessionId(), m.getCorrelationId(), Map.copyOf(m.getApplicationProperties()),
                            visibleAt, 1));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next visible message of any unlocked session of {@code queue}, locking its session
     * until {@link #settle}; null after {@code wait}. Scheduled messages are visible from their time.
     */
    Msg take(String queue, String onlySession, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            while (true) {
                Instant now = Instant.now();
                for (Map.Entry<String, Deque<Msg>> s : queues.getOrDefault(queue, Map.of()).entrySet()) {
                    String key = queue + "/" + s.getKey();
                    if ((onlySession != null && !onlySession.equals(s.getKey())) || lockedSessions.contains(key)) {
                        continue;
                    }
                    // FIFO per session: a scheduled message becomes part of the line when its time comes.
                    Msg first = s.getValue().stream().filter(m -> !m.visibleAt().isAfter(now)).findFirst().orElse(null);
                    if (first != null) {
                        s.getValue().remove(first);
                        lockedSessions.add(key);
                        return first;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)));
            }
        } finally {
            lock.unlock();
        }
    }

    int deadLetterCount() {
        lock.lock();
        try {
            return deadLetters.size();
        } finally {
            lock.unlock();
        }
    }

    /** Completes {@code m} (ok) or abandons it: redelivered first in its session, or dead-lettered past the max. */
    void settle(String queue, Msg m, boolean ok) {
        lock.lock();
        try {
            if (!ok) {
                if (m.deliveryCount() >= maxDeliveryCount) {
                    deadLetters.add(m);
                } else {
                    queues.get(queue).get(m.sessionId()).addFirst(m.redelivered());
                }
            }
            lockedSessions.remove(queue + "/" + m.sessionId());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A consumer thread for {@code queue}, like the Functions host's session trigger with one session at a time. */
    Thread consume(String queue, Handler handler) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Msg m = take(queue, null, Duration.ofMillis(200));
                    if (m == null) {
                        continue;
                    }
                    boolean ok;
                    try {
                        handler.handle(m);
                        ok = true;
                    } catch (InterruptedException e) {
                        throw e;
                    } catch (Exception e) {
                        ok = false;
                    }
                    settle(queue, m, ok);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "in-memory-service-bus-" + queue);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A mocked {@link ServiceBusSessionReceiverClient} on {@code queue}: accepted sessions receive from this bus. */
    ServiceBusSessionReceiverClient sessionReceiver(String queue) {
        ServiceBusSessionReceiverClient sessions = mock(ServiceBusSessionReceiverClient.class);
        when(sessions.acceptSession(any(String.class))).thenAnswer(inv -> {
            String session = inv.getArgument(0);
            ServiceBusReceiverClient receiver = mock(ServiceBusReceiverClient.class);
            Map<ServiceBusReceivedMessage, Msg> taken = new HashMap<>();
            Duration lockFor = sessionLockDuration;
            AtomicLong lockedUntil = new AtomicLong(lockFor == null ? Long.MAX_VALUE : System.nanoTime() + lockFor.toNanos());
            when(receiver.receiveMessages(anyInt(), any(Duration.class))).thenAnswer(r -> {
                Duration wait = r.getArgument(1);
                if (System.nanoTime() >= lockedUntil.get()) {
                    Thread.sleep(wait.toMillis()); // a lost lock: the link stays quiet
                    return new IterableStream<>(List.<ServiceBusReceivedMessage>of());
                }
                Msg m = take(queue, session, wait);
                if (m == null) {
                    return new IterableStream<>(List.<ServiceBusReceivedMessage>of());
                }
                ServiceBusReceivedMessage received = mock(ServiceBusReceivedMessage.class);
                when(received.getBody()).thenReturn(BinaryData.fromBytes(m.body()));
                when(received.getCorrelationId()).thenReturn(m.correlationId());
                when(received.getSessionId()).thenReturn(m.sessionId());
                when(received.getMessageId()).thenReturn(m.messageId());
                synchronized (taken) {
                    taken.put(received, m);
                }
                return new IterableStream<>(List.of(received));
            });
            doAnswer(c -> {
                Msg m;
                synchronized (taken) {
                    m = taken.remove(c.getArgument(0));
                }
                boolean lost = System.nanoTime() >= lockedUntil.get();
                settle(queue, m, !lost);
                if (lost) {
                    throw lockLost();
                }
                return null;
            }).when(receiver).complete(any(ServiceBusReceivedMessage.class));
            when(receiver.renewSessionLock()).thenAnswer(c -> {
                if (System.nanoTime() >= lockedUntil.get()) {
                    throw lockLost();
                }
                Duration d = sessionLockDuration;
                lockedUntil.set(d == null ? Long.MAX_VALUE : System.nanoTime() + d.toNanos());
                return OffsetDateTime.now().plus(d == null ? Duration.ofDays(1) : d);
            });
            return receiver;
        });
        return sessions;
    }

    private static ServiceBusException lockLost() {
        ServiceBusException e = mock(ServiceBusException.class);
        when(e.getReason()).thenReturn(ServiceBusFailureReason.SESSION_LOCK_LOST);
        when(e.getMessage()).thenReturn("the session lock was lost");
        return e;
    }
}
