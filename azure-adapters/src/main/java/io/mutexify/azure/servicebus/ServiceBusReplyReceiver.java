package io.mutexify.azure.servicebus;

import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSessionReceiverClient;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.ReplySink;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This Frontface instance's end of the reply queue: accepts the instance's own session (nobody else
 * has that id, so the lock is never contended), receives replies, hands each to the {@link ReplySink}
 * (the Frontface's {@code ReplyWaiter}) by its {@code CorrelationId}, and completes the message. It
 * runs on one daemon thread; losing the session (a network blip) only makes it accept it again.
 *
 * <p>The session lock is renewed every {@link #LOCK_RENEWAL} for as long as the receiver runs: the
 * SDK's own renewal stops after {@code maxAutoLockRenewDuration} (5 minutes by default), after which
 * the lock would lapse and replies would sit unread in the session.
 */
public final class ServiceBusReplyReceiver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceBusReplyReceiver.class);
    static final int MAX_MESSAGES = 50;
    static final Duration RECEIVE_WAIT = Duration.ofSeconds(5);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    /** A third of the reply queue's lock duration (30 s, see infra/main.bicep): two renewals may fail before it lapses. */
    static final Duration LOCK_RENEWAL = Duration.ofSeconds(10);

    private final ServiceBusSessionReceiverClient sessions;
    private final String session;
    private final ReplySink replies;
    private final Duration renewEvery;
    private volatile boolean closed;
    private volatile boolean connected;
    private Thread thread;

    public ServiceBusReplyReceiver(ServiceBusSessionReceiverClient sessions, String session, ReplySink replies) {
        this(sessions, session, replies, LOCK_RENEWAL);
    }

    /** @param renewEvery how often the session lock is renewed; well below the queue's lock duration */
    public ServiceBusReplyReceiver(ServiceBusSessionReceiverClient sessions, String session, ReplySink replies,
                                   Duration renewEvery) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.session = Objects.requireNonNull(session, "session");
        this.replies = Objects.requireNonNull(replies, "replies");
        if (renewEvery.isNegative() || renewEvery.isZero()) {
            throw new IllegalArgumentException("renewEvery must be positive");
        }
        this.renewEvery = renewEvery;
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = new Thread(this::loop, "mutexify-replies-" + session);
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the receiver holds its session (for readiness). */
    public boolean isConnected() {
        return connected;
    }

    private void loop() {
        while (!closed) {
            try (ServiceBusReceiverClient receiver = sessions.acceptSession(session)) {
                connected = true;
                long renewed = System.nanoTime();
                while (!closed) {
                    if (System.nanoTime() - renewed >= renewEvery.toNanos()) {
                        // Throws once the lock is lost: then the session is accepted again.
                        receiver.renewSessionLock();
                        renewed = System.nanoTime();
                    }
                    receiveOnce(receiver);
                }
            } catch (RuntimeException e) {
                connected = false;
                if (closed) {
                    break;
                }
                log.warn("reply session {}: {}; accepting it again", session, e.toString());
                sleep(RETRY_PAUSE);
            }
        }
        connected = false;
    }

    /** One receive round: hands every reply to the sink and completes it; returns how many came. */
    int receiveOnce(ServiceBusReceiverClient receiver) {
        int count = 0;
        Duration wait = RECEIVE_WAIT.compareTo(renewEvery) < 0 ? RECEIVE_WAIT : renewEvery;
        for (ServiceBusReceivedMessage message : receiver.receiveMessages(MAX_MESSAGES, wait)) {
            count++;
            try {
                Reply reply = CommandCodec.decodeReply(message.getBody().toBytes());
                if (message.getCorrelationId() != null && !message.getCorrelationId().equals(reply.requestId())) {
                    log.warn("reply {} carries CorrelationId {}; using the body's id", reply.requestId(), message.getCorrelationId());
                }
                replies.send(reply);
                receiver.complete(message);
            } catch (IllegalArgumentException e) {
                log.error("reply message {} is not a reply; dead-lettering it: {}", message.getMessageId(), e.getMessage());
                receiver.deadLetter(message);
            }
        }
        return count;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(RECEIVE_WAIT.toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sessions.close();
    }
}
