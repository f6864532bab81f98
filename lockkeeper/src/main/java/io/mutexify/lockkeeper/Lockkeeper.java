package io.mutexify.lockkeeper;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.concurrent.Completions;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.machine.SlotMachine;
import io.mutexify.model.port.CommandQueue;
import io.mutexify.model.port.ReplySink;
import io.mutexify.model.port.SessionHandler;
import io.mutexify.model.port.SlotChangeListener;
import io.mutexify.model.port.SlotStore;
import io.mutexify.model.port.StoreUnavailableException;
import io.mutexify.model.port.Telemetry;
import io.mutexify.model.slot.SlotState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of slots. For each batch of one slot's commands it loads the slot, answers
 * repeated requests from their stored replies, applies the rest through the {@link SlotMachine},
 * commits conditionally, and only then tells listeners, schedules timers and sends replies.
 *
 * <p>Timers are scheduled before the replies, and a batch that may be a redelivery (a request was
 * answered from its stored reply, or this writer has no cached state of the slot: it restarted, or
 * another instance or a failed try handled it last) schedules every timer its slot's state needs
 * again ({@link TimerRebuild#timersFor}). So a failure after the commit (the timer queue or the
 * reply queue throws) is healed by the redelivery it causes: no hold outlives its expiry and no
 * waiter is stranded. Timers are idempotent: an extra expiry or end-of-wait changes nothing.
 *
 * <p>If the store fails (a full disk, a failed fsync: {@link StoreUnavailableException}), nothing
 * of the batch is acknowledged: its client commands are answered 503, not recorded, so the client
 * retries under the same request id; its timer and cancel commands are scheduled again shortly.
 */
public final class Lockkeeper implements SessionHandler {
    private static final Logger log = LoggerFactory.getLogger(Lockkeeper.class);
    private static final int MAX_CONFLICT_RETRIES = 20;
    /** The cache only saves reads; above this size the least useful entries go. */
    private static final int MAX_CACHED_SLOTS = 100_000;
    private static final int REARM_PAGE = 1000;
    /** How soon a timer or cancel command whose batch the store refused is tried again. */
    static final Duration STORE_RETRY_PAUSE = Duration.ofSeconds(1);

    private final SlotStore store;
    private final BatchApplier applier;
    private final ReplySink replies;
    private final CommandQueue timers;
    private final List<SlotChangeListener> listeners;
    private final Runnable eventsCommitted;
    private final LockkeeperTelemetry telemetry;
    private final Clock clock;
    /** Last committed state per slot. Safe because only this writer holds a slot's session at a time; a conflict evicts it. */
    // Evicts on the caller's thread, so what is cached right after a commit is exactly what was written.
    private final Map<String, SlotState> cache = Caffeine.newBuilder().maximumSize(MAX_CACHED_SLOTS)
            .executor(Runnable::run).<String, SlotState>build().asMap();

    private Lockkeeper(Builder b) {
        this.store = Objects.requireNonNull(b.store, "store");
        this.applier = new BatchApplier(Objects.requireNonNull(b.machine, "machine"), store, b.clock, b.tokens);
        this.replies = Objects.requireNonNull(b.replies, "replies");
        this.timers = Objects.requireNonNull(b.timers, "timers");
        this.listeners = List.copyOf(b.listeners);
        this.eventsCommitted = b.eventsCommitted;
        this.telemetry = new LockkeeperTelemetry(b.telemetry);
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void handle(String slotId, List<SlotCommand> batch) {
        handle(slotId, batch, false);
    }

    @Override
    public void handle(String slotId, List<SlotCommand> batch, boolean firstDelivery) {
        try {
            handleAsync(slotId, batch, firstDelivery).join();
        } catch (CompletionException e) {
            Throwable cause = Completions.cause(e);
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * Applies the batch and submits its write without waiting for it: what follows the commit
     * (listeners, timers, replies) runs when the store completes it, on the store's thread.
     */
    @Override
    public CompletableFuture<Void> handleAsync(String slotId, List<SlotCommand> batch, boolean firstDelivery) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        attempt(slotId, batch, firstDelivery, 1, done);
        return done;
    }

    /** True on a store that commits on its own thread: then a batch costs its caller no wait for the disk. */
    @Override
    public boolean handsOffWithoutBlocking() {
        return store.commitsWithoutBlocking();
    }

    private void unavailable(String slotId, List<SlotCommand> batch, StoreUnavailableException e) {
        // What we cached may be ahead of the store (or behind, if the outcome is unknown): read it again.
        SlotState known = cache.remove(slotId);
        log.warn("store unavailable for slot {}: {} command(s) answered 503 or retried shortly: {}", slotId,
                batch.size(), e.getMessage());
        telemetry.storeUnavailable(slotId);
        refuse(batch, known != null ? known : lastCommitted(slotId));
    }

    /**
     * Answers the batch's client commands 503 (each request once) and schedules the rest again. A
     * retry of a request that {@code known} shows waiting in line is not answered: it keeps its
     * place, and its answer (grant or end of wait) still comes.
     */
    private void refuse(List<SlotCommand> batch, SlotState known) {
        Set<String> answered = new HashSet<>();
        if (known != null) {
            known.waiters().forEach(w -> answered.add(w.requestId()));
        }
        Instant retryAt = clock.instant().plus(STORE_RETRY_PAUSE);
        for (SlotCommand c : batch) {
            if (c.fromClient()) {
                if (answered.add(c.requestId())) {
                    replies.send(Reply.storeUnavailable(c.requestId(), c.slotId()));
                }
            } else {
                timers.schedule(new ScheduledCommand(retryAt, c));
            }
        }
    }

    /** The slot as last committed, if the store can still be read; null if not. */
    private SlotState lastCommitted(String slotId) {
        try {
            return store.load(slotId);
        } catch (StoreUnavailableException e) {
            return null;
        }
    }

    /**
     * One try at the batch: load (unless cached), apply, submit the write; on its completion either
     * finish the batch or, after a conflict, try again from a fresh read. {@code done} completes when
     * the batch is answered (a store that is unavailable answers it 503), or fails for a redelivery.
     */
    private void attempt(String slotId, List<SlotCommand> batch, boolean firstDelivery, int attempt,
                         CompletableFuture<Void> done) {
        SlotState current;
        AppliedBatch applied;
        boolean rearm;
        CompletableFuture<Boolean> commit;
        long started;
        try {
            SlotState cached = cache.get(slotId);
            current = cached != null ? cached : store.load(slotId);
            applied = applier.apply(current, batch, firstDelivery);
            rearm = cached == null || applied.replayed();
            if (applied.write() == null) {
                finish(slotId, applied, current, rearm);
                done.complete(null);
                return;
            }
            started = System.nanoTime();
            commit = store.commitAsync(applied.write());
        } catch (StoreUnavailableException e) {
            unavailable(slotId, batch, e);
            done.complete(null);
            return;
        } catch (RuntimeException | Error e) {
            done.completeExceptionally(e);
            return;
        }
        SlotState read = current;
        commit.whenComplete((committed, failure) -> {
            telemetry.commitTook(slotId, System.nanoTime() - started, batch.size());
            try {
                if (failure != null) {
                    Throwable cause = Completions.cause(failure);
                    if (!(cause instanceof StoreUnavailableException sue)) {
                        done.completeExceptionally(cause);
                        return;
                    }
                    unavailable(slotId, batch, sue);
                } else if (committed) {
                    afterCommit(slotId, applied, read, rearm);
                } else {
                    // Another writer touched the slot since we read it: reload and apply the batch again.
                    cache.remove(slotId);
                    telemetry.conflict(slotId);
                    log.info("conflict writing slot {} (attempt {}), reloading", slotId, attempt);
                    if (attempt < MAX_CONFLICT_RETRIES) {
                        attempt(slotId, batch, firstDelivery, attempt + 1, done);
                        return;
                    }
                    throw new IllegalStateException("slot " + slotId + " kept changing under us; batch will be redelivered");
                }
                done.complete(null);
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        });
    }

    /** The write is durable: remember it, tell watchers, then arm timers and send replies. */
    private void afterCommit(String slotId, AppliedBatch applied, SlotState read, boolean rearm) {
        SlotState committedState = applied.write().newState() == null
                ? read
                : applied.write().newState().withVersion(read.version() + 1);
        remember(slotId, committedState);
        // Watchers first: a client that has its reply must never see an index from before its change.
        if (applied.write().newState() != null) {
            listeners.forEach(l -> l.changed(committedState));
        }
        finish(slotId, applied, committedState, rearm);
        if (!applied.write().events().isEmpty()) {
            eventsCommitted.run();
        }
    }

    /**
     * Whether a due timer can no longer change its slot, judged from the last state this writer
     * committed: the hold it would expire has ended or was extended (a newer timer exists), the
     * waiter it would end has left the line (or its poll check was moved on), or the lock-delay it would end is over. A slot this writer has not cached answers false, so a
     * queue may drop what this says is obsolete and never lose a timer that matters.
     */
    public boolean isObsolete(SlotCommand timer) {
        SlotState s = cache.get(timer.slotId());
        if (s == null) {
            return false;
        }
        if (timer instanceof SlotCommand.Expire e) {
            return s.holds().stream().noneMatch(h -> h.fence() == e.fence() && h.expireAt().equals(e.at()));
        }
        if (timer instanceof SlotCommand.EndDelay d) {
            return s.delays().stream().noneMatch(x -> x.fence() == d.fence() && x.until().equals(d.at()));
        }
        if (timer instanceof SlotCommand.EndWait w) {
            return s.waiters().stream().noneMatch(x -> x.requestId().equals(w.waiterRequestId()) && x.waitUntil().equals(w.at()));
        }
        if (timer instanceof SlotCommand.CheckPolls p) {
            return s.waiters().stream().noneMatch(x -> x.requestId().equals(p.waiterRequestId()) && p.at().equals(x.pollCheckAt()));
        }
        return false;
    }

    /** Schedules the expiry and end-of-wait timers of every stored slot; run once at start. */
    public int rearmTimers() {
        int count = 0;
        // Page by page, so a store of a million slots is never in memory at once.
        String after = "";
        List<SlotState> page;
        do {
            page = store.page(null, after, REARM_PAGE);
            for (SlotState state : page) {
                for (ScheduledCommand timer : TimerRebuild.timersFor(state)) {
                    timers.schedule(timer);
                    count++;
                }
            }
            after = page.isEmpty() ? after : page.get(page.size() - 1).id();
        } while (page.size() == REARM_PAGE);
        return count;
    }

    private void finish(String slotId, AppliedBatch applied, SlotState committed, boolean rearm) {
        Set<ScheduledCommand> due = new LinkedHashSet<>(applied.timers());
        if (rearm) {
            due.addAll(TimerRebuild.timersFor(committed));
        }
        try {
            // Timers first: once a client has its reply, the expiry that bounds its hold must already be armed.
            due.forEach(timers::schedule);
            applied.replies().forEach(replies::send);
        } catch (RuntimeException e) {
            // The batch comes again and is answered from the stored replies; forgetting the slot makes
            // that replay schedule every timer the slot needs, whichever step failed here.
            cache.remove(slotId);
            if (e instanceof StoreUnavailableException) {
                // A store read on the way out (a reply's address) failed: the change is committed, so
                // this is not a refusal to answer 503 but a failure the redelivery heals.
                throw new IllegalStateException("after commit of slot " + slotId + ": " + e.getMessage(), e);
            }
            throw e;
        }
        telemetry.committed(committed.id(), applied);
    }

    private void remember(String slotId, SlotState state) {
        cache.put(slotId, state);
    }

    /** Builds a {@link Lockkeeper}; store, machine, replies and timers are required. */
    public static final class Builder {
        private SlotStore store;
        private SlotMachine machine;
        private ReplySink replies;
        private CommandQueue timers;
        private Clock clock = Clock.systemUTC();
        private Supplier<String> tokens = new TokenGenerator();
        private List<SlotChangeListener> listeners = List.of();
        private Runnable eventsCommitted = () -> { };
        private Telemetry telemetry = Telemetry.NONE;

        public Builder store(SlotStore store) {
            this.store = store;
            return this;
        }

        public Builder machine(SlotMachine machine) {
            this.machine = machine;
            return this;
        }

        public Builder replies(ReplySink replies) {
            this.replies = replies;
            return this;
        }

        /** The queue that receives scheduled expiry and end-of-wait commands. */
        public Builder timers(CommandQueue timers) {
            this.timers = timers;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder tokens(Supplier<String> tokens) {
            this.tokens = tokens;
            return this;
        }

        public Builder listeners(List<SlotChangeListener> listeners) {
            this.listeners = listeners;
            return this;
        }

        /** Called after a commit that added events to the outbox, to wake the relay. */
        public Builder eventsCommitted(Runnable eventsCommitted) {
            this.eventsCommitted = eventsCommitted;
            return this;
        }

        public Builder telemetry(Telemetry telemetry) {
            this.telemetry = telemetry;
            return this;
        }

        public Lockkeeper build() {
            return new Lockkeeper(this);
        }
    }
}
