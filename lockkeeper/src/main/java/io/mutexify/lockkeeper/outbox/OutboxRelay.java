package io.mutexify.lockkeeper.outbox;

import io.mutexify.model.event.LockEvent;
import io.mutexify.model.port.EventPublisher;
import io.mutexify.model.port.OutboxEntry;
import io.mutexify.model.port.SlotStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox to one subscriber, in commit order, at least once: reads the entries after
 * the subscriber's cursor, publishes them, then saves the cursor; on failure it retries the same
 * entries (same event ids) with capped exponential backoff.
 *
 * <p>One relay per subscriber, each on its own thread, so a subscriber that is down only delays
 * itself. A crash between publishing and saving the cursor delivers those events again; receivers
 * deduplicate by event id.
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final String subscriber;
    private final SlotStore store;
    private final EventPublisher publisher;
    private final RelaySettings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private boolean woken;
    private volatile boolean closed;
    private volatile long delivered = -1;
    private volatile int failuresInARow;
    private Thread thread;

    public OutboxRelay(String subscriber, SlotStore store, EventPublisher publisher, RelaySettings settings) {
        this.subscriber = Objects.requireNonNull(subscriber, "subscriber");
        this.store = Objects.requireNonNull(store, "store");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public OutboxRelay(String subscriber, SlotStore store, EventPublisher publisher) {
        this(subscriber, store, publisher, RelaySettings.defaults());
    }

    /** The cursor name in the store; also what the store's {@code prune} must be told about. */
    public String subscriber() {
        return subscriber;
    }

    /** Starts the relay's thread. */
    public synchronized void start() {
        if (thread != null || closed) {
            throw new IllegalStateException("relay " + subscriber + " already started or closed");
        }
        thread = new Thread(this::loop, "mutexify-outbox-" + subscriber);
        // Daemon: a forgotten close() must not keep the JVM alive; undelivered events stay in the outbox.
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks for a delivery round now, e.g. right after a commit added events; cheap, never blocks. */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The outbox sequence number this relay last saved as delivered, or -1 before its first delivery. */
    public long delivered() {
        return delivered;
    }

    /** Failed rounds since the last successful one; 0 when the subscriber is healthy. */
    public int failuresInARow() {
        return failuresInARow;
    }

    /** Stops the relay, letting a delivery in progress finish for up to {@code closeTimeout}. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = thread;
        }
        wake();
        if (running == null || running == Thread.currentThread()) {
            return;
        }
        try {
            running.join(Math.max(1, settings.closeTimeout().toMillis()));
            if (running.isAlive()) {
                running.interrupt();
                running.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        log.debug("outbox relay {} started", subscriber);
        while (!closed) {
            boolean more;
            try {
                more = deliverOnce();
                failuresInARow = 0;
            } catch (Exception e) {
                if (closed) {
                    break;
                }
                int failures = ++failuresInARow;
                Duration pause = settings.backoff(failures);
                // e.toString() only: publishers put no secrets in their messages; the stack is for debugging.
                log.warn("outbox relay {}: delivery failed ({} in a row), retrying in {} ms: {}", subscriber, failures,
                        pause.toMillis(), e.toString());
                log.debug("outbox relay {}: failure detail", subscriber, e);
                // Wakes do not cut the backoff short: a dead subscriber would be hammered on every commit.
                pause(pause, false);
                continue;
            }
            if (!more) {
                pause(settings.pollInterval(), true);
            }
        }
        log.debug("outbox relay {} stopped", subscriber);
    }

    /** One round: publish what follows the cursor; true if the batch was full, so more may be waiting. */
    private boolean deliverOnce() throws Exception {
        clearWake();
        long cursor = store.cursor(subscriber);
        List<OutboxEntry> entries = store.outboxAfter(cursor, settings.batchSize());
        if (entries.isEmpty()) {
            return false;
        }
        List<LockEvent> events = new ArrayList<>(entries.size());
        for (OutboxEntry entry : entries) {
            events.add(entry.event());
        }
        try {
            publisher.publish(List.copyOf(events));
        } catch (PartialDeliveryException partial) {
            int done = Math.min(partial.delivered(), entries.size());
            if (done > 0) {
                saveCursor(entries.get(done - 1).seq());
            }
            throw partial;
        }
        saveCursor(entries.get(entries.size() - 1).seq());
        return entries.size() >= settings.batchSize();
    }

    private void saveCursor(long seq) {
        store.saveCursor(subscriber, seq);
        delivered = seq;
    }

    private void clearWake() {
        lock.lock();
        try {
            woken = false;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for {@code duration}, or until closed, or (if {@code wakeable}) until woken. */
    private void pause(Duration duration, boolean wakeable) {
        long remaining = duration.toNanos();
        lock.lock();
        try {
            while (remaining > 0 && !closed && !(wakeable && woken)) {
                remaining = signal.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            // Only close() interrupts, and only once it gave up waiting: leave the loop.
            closed = true;
        } finally {
            lock.unlock();
        }
    }
}
