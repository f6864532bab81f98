package io.mutexify.embedded.queue;

import io.mutexify.embedded.queue.Session.Entry;
import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.concurrent.Completions;
import io.mutexify.model.port.CommandQueue;
import io.mutexify.model.port.QueueFullException;
import io.mutexify.model.port.SessionHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded request queue: per-slot FIFO sessions, one consumer per session at a time, sessions
 * in parallel on a fixed worker pool (or, for a handler that never blocks, on the thread that sent
 * to an idle session or finished its last batch), batched delivery, scheduled delivery and redelivery.
 *
 * <p>It gives the Lockkeeper the same guarantees a Service Bus session queue does, so the very
 * same handler runs on both. Everything is in memory: what is queued or scheduled when the
 * process stops is gone, so timers must be rebuilt from the store at start-up.
 */
public final class InProcessSessionQueue implements CommandQueue, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InProcessSessionQueue.class);

    private enum State { NEW, RUNNING, CLOSING, CLOSED }

    /** The grid timers are rounded up to (see {@link #arm}). */
    static final long TIMER_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final QueueSettings settings;
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final FairShare queuedClientCommands;
    private final AtomicInteger pendingTimers = new AtomicInteger();
    /** Timers scheduled before start(): the Lockkeeper re-arms them from the store before the queue runs. */
    private final List<ScheduledCommand> earlyTimers = new ArrayList<>();
    private volatile State state = State.NEW;
    private volatile SessionHandler handler;
    private ThreadPoolExecutor workers;
    private ScheduledThreadPoolExecutor timers;
    private volatile Predicate<SlotCommand> obsolete = timer -> false;

    public InProcessSessionQueue(QueueSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.queuedClientCommands = new FairShare(settings.capacity());
    }

    /** Starts the workers; the handler is passed here, not to the constructor, because it usually needs this queue for its timers. */
    public void start(SessionHandler sessionHandler) {
        start(sessionHandler, timer -> false);
    }

    /**
     * Starts the workers, dropping a due timer when {@code obsoleteTimer} says it can no longer
     * change its slot (e.g. the expiry of a lock released long ago), so such timers cost no trip
     * through a session.
     */
    public synchronized void start(SessionHandler sessionHandler, Predicate<SlotCommand> obsoleteTimer) {
        if (state != State.NEW) {
            throw new IllegalStateException("queue already started");
        }
        handler = Objects.requireNonNull(sessionHandler, "sessionHandler");
        obsolete = Objects.requireNonNull(obsoleteTimer, "obsoleteTimer");
        // An unbounded FIFO run queue: a session that still has work after a batch is submitted
        // again and so waits behind every session that became ready before it.
        workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), threads("mutexify-queue-worker-"));
        timers = new ScheduledThreadPoolExecutor(1, threads("mutexify-queue-timer-"));
        timers.setRemoveOnCancelPolicy(true);
        state = State.RUNNING;
        for (ScheduledCommand early : earlyTimers) {
            arm(early);
        }
        earlyTimers.clear();
    }

    @Override
    public void send(SlotCommand command) {
        Objects.requireNonNull(command, "command");
        if (state != State.RUNNING) {
            throw new IllegalStateException("queue is " + state.name().toLowerCase());
        }
        queuedClientCommands.reserve(principalOf(command));
        enqueue(new Entry(command, true));
    }

    /**
     * Also allowed before {@link #start}; such timers are armed when it starts.
     * Never refuses for capacity: a timer is the only thing that frees a held slot or ends a wait,
     * so dropping one would be far worse than a longer queue.
     */
    @Override
    public void schedule(ScheduledCommand scheduled) {
        Objects.requireNonNull(scheduled, "scheduled");
        pendingTimers.incrementAndGet();
        if (state == State.NEW) {
            synchronized (this) {
                if (state == State.NEW) {
                    earlyTimers.add(scheduled);
                    return;
                }
            }
        }
        if (!arm(scheduled)) {
            pendingTimers.decrementAndGet();
            // Only after close: the Lockkeeper rebuilds timers from the store when it starts again.
            log.info("queue closed, timer for slot {} not armed ({})", scheduled.command().slotId(),
                    describe(scheduled.command()));
        }
    }

    @Override
    public boolean isReachable() {
        return state == State.RUNNING;
    }

    /** Client commands sent and not yet handled (or dead-lettered); what the capacity limits. */
    public int queuedClientCommands() {
        return queuedClientCommands.total();
    }

    /** Scheduled commands not yet due. */
    public int pendingTimers() {
        return pendingTimers.get();
    }

    /**
     * Stops accepting client commands, lets queued and in-flight batches finish for up to
     * {@code closeTimeout}, then stops the workers and drops the timers not yet due.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (state == State.NEW) {
                state = State.CLOSED;
            }
            if (state != State.RUNNING) {
                return; // never started, or another close() is already at it
            }
            state = State.CLOSING;
        }
        long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
        try {
            while (!sessions.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            timers.shutdownNow();
            workers.shutdown();
            if (!workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                workers.shutdownNow();
                workers.awaitTermination(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            timers.shutdownNow();
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            state = State.CLOSED;
        }
        if (!sessions.isEmpty() || pendingTimers.get() > 0) {
            log.warn("queue closed with {} session(s) unfinished and {} timer(s) not yet due", sessions.size(),
                    pendingTimers.get());
        }
    }

    private static String principalOf(SlotCommand command) {
        return command.actor() == null ? "" : command.actor().principal();
    }

    /** Arms a timer for {@code scheduled}; false if the timer thread is gone. */
    private boolean arm(ScheduledCommand scheduled) {
        if (timers == null) {
            return false; // closed without ever starting
        }
        // Nanosecond precision: a delay truncated to whole milliseconds fires up to 1 ms early and
        // fire() would re-arm it with a zero delay again and again, spinning the timer thread.
        long delayNanos = Math.max(0, Duration.between(settings.clock().instant(), scheduled.at()).toNanos());
        if (delayNanos > 0) {
            // Up to the next tick of a shared grid: timers due within one tick fire together on one
            // wake-up of the timer thread. Every grant arms an expiry and most come due long after their
            // hold ended, so at thousands of grants a second this saves thousands of wake-ups; a timer
            // is at most one tick late, and a hold is over at its expireAt whether or not it ran.
            long due = System.nanoTime() + delayNanos;
            delayNanos += TIMER_TICK_NANOS - Math.floorMod(due, TIMER_TICK_NANOS);
        }
        try {
            timers.schedule(() -> fire(scheduled), delayNanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void fire(ScheduledCommand scheduled) {
        Instant now = settings.clock().instant();
        // The executor counts elapsed time, not wall time: if the clock was set back meanwhile, the
        // command is not due yet by the clock the Lockkeeper decides with.
        if (now.isBefore(scheduled.at())) {
            if (!arm(scheduled)) {
                pendingTimers.decrementAndGet();
            }
            return;
        }
        pendingTimers.decrementAndGet();
        if (!obsolete.test(scheduled.command())) {
            enqueue(new Entry(scheduled.command(), false));
        }
    }

    private void enqueue(Entry entry) {
        boolean[] activate = {false};
        Session session = sessions.compute(entry.command().slotId(), (id, current) -> {
            Session s = current != null ? current : new Session(id);
            s.pending.addLast(entry);
            if (!s.owned) {
                s.owned = true;
                activate[0] = true;
            }
            return s;
        });
        if (activate[0]) {
            if (entry.counted() && handler.handsOffWithoutBlocking()) {
                // An idle session and a handler that never waits for a commit: the sender's thread
                // runs the batch, which saves waking a worker and the worker's hand-off back.
                run(session);
            } else {
                dispatch(session);
            }
        }
    }

    private void dispatch(Session session) {
        try {
            workers.execute(() -> run(session));
        } catch (RejectedExecutionException e) {
            // Only after close gave up waiting; what is left in the session is dropped with the queue.
            log.debug("queue closed, session {} not dispatched", session.id);
        }
    }

    /**
     * One turn of a session on a worker: hand over one batch (a redelivery first); the session is
     * released when the handler has finished it, which may be later on another thread (after its
     * commit), so the worker goes on with other sessions meanwhile.
     */
    private void run(Session session) {
        boolean firstDelivery = session.inFlight == null;
        List<Entry> batch = firstDelivery ? takeBatch(session) : session.inFlight;
        if (batch.isEmpty()) {
            finish(session);
            return;
        }
        session.inFlight = batch;
        CompletionStage<Void> handled;
        try {
            handled = handler.handleAsync(session.id, commands(batch), firstDelivery);
        } catch (Throwable failure) {
            handled = CompletableFuture.failedFuture(failure);
        }
        // Set once handleAsync has returned: a batch finished later, on the thread that completed its
        // commit, may have that thread run the session's next batch too; one finished at once may not
        // (that would recurse, batch after batch, on one stack).
        AtomicBoolean returned = new AtomicBoolean();
        handled.whenComplete((ok, failure) -> {
            if (failure == null) {
                done(session, batch);
                finish(session, returned.get() && handler.handsOffWithoutBlocking());
                return;
            }
            Throwable cause = Completions.cause(failure);
            if (cause instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            failed(session, batch, cause);
        });
        returned.set(true);
    }

    private List<Entry> takeBatch(Session session) {
        List<Entry> batch = new ArrayList<>();
        sessions.computeIfPresent(session.id, (id, s) -> {
            while (batch.size() < settings.maxBatch() && !s.pending.isEmpty()) {
                batch.add(s.pending.pollFirst());
            }
            return s;
        });
        return batch;
    }

    private void failed(Session session, List<Entry> batch, Throwable failure) {
        int attempts = ++session.failedAttempts;
        if (attempts >= settings.maxDeliveries()) {
            deadLetter(session, batch, attempts, failure);
            done(session, batch);
            finish(session);
            return;
        }
        Duration pause = settings.backoff(attempts);
        log.debug("session {}: batch of {} failed (attempt {}), redelivering in {} ms: {}", session.id, batch.size(),
                attempts, pause.toMillis(), failure.toString());
        // The session stays owned during the pause, so nothing later on it overtakes the failed
        // batch, and no worker thread is held up sleeping.
        try {
            timers.schedule(() -> dispatch(session), pause.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("queue closed, session {} not redelivered", session.id);
        }
    }

    private void deadLetter(Session session, List<Entry> batch, int attempts, Throwable failure) {
        // Commands are described by type and request id only: their fields carry lock tokens.
        log.error("session {}: giving up after {} failed deliveries, dead-lettering {} command(s): {}", session.id,
                attempts, batch.size(), batch.stream().map(e -> describe(e.command())).collect(Collectors.joining(", ")),
                failure);
        try {
            settings.deadLetter().accept(commands(batch));
        } catch (RuntimeException e) {
            log.error("session {}: dead-letter callback failed", session.id, e);
        }
    }

    /** The batch left the queue, handled or dead-lettered: the session's next batch is fresh. */
    private void done(Session session, List<Entry> batch) {
        session.inFlight = null;
        session.failedAttempts = 0;
        batch.stream().filter(Entry::counted).forEach(e -> queuedClientCommands.release(principalOf(e.command())));
    }

    /** Gives the session up: back to the run queue if more arrived meanwhile, else removed. */
    private void finish(Session session) {
        finish(session, false);
    }

    /** As {@link #finish(Session)}; {@code runHere}: more that arrived meanwhile runs on this thread. */
    private void finish(Session session, boolean runHere) {
        boolean[] again = {false};
        sessions.compute(session.id, (id, s) -> {
            if (s == null || s.pending.isEmpty()) {
                return null;
            }
            again[0] = true;
            return s;
        });
        if (again[0]) {
            if (runHere) {
                run(session);
            } else {
                dispatch(session);
            }
        }
    }

    private static List<SlotCommand> commands(List<Entry> batch) {
        List<SlotCommand> commands = new ArrayList<>(batch.size());
        for (Entry e : batch) {
            commands.add(e.command());
        }
        return List.copyOf(commands);
    }

    static String describe(SlotCommand command) {
        return command.getClass().getSimpleName() + " " + command.requestId();
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            // Daemon: a forgotten close() must not keep the JVM alive.
            t.setDaemon(true);
            return t;
        };
    }
}
