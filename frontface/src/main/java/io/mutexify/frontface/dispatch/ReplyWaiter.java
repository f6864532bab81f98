package io.mutexify.frontface.dispatch;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.PendingRequests;
import io.mutexify.model.port.ReplySink;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * This Frontface instance's end of the reply queue: callers register a request id before sending
 * the command, and the reply completes their future. Requests stay known as "in flight" after
 * their caller gave up (202), so {@code GET /api/v1/requests/{id}} can answer 202 rather than 404
 * until the reply is in the store. With several instances, the durable {@link PendingRequests}
 * answers for requests another instance sent.
 */
public final class ReplyWaiter implements ReplySink {
    /** How long a request counts as in flight without a reply; past that we stop claiming it exists. */
    private static final Duration IN_FLIGHT = Duration.ofMinutes(15);

    private final Map<String, CompletableFuture<Reply>> waiting = new ConcurrentHashMap<>();
    /**
     * Requests sent from here and not answered yet; each is forgotten {@link #IN_FLIGHT} after it was (last) sent.
     * Its upkeep runs on the caller's thread: every request writes it twice, and waking a pool thread for that
     * costs more than the upkeep itself.
     */
    private final Cache<String, Boolean> inFlight = Caffeine.newBuilder().expireAfterWrite(IN_FLIGHT)
            .executor(Runnable::run).build();
    private final PendingRequests durable;

    /** A waiter that knows only what this instance sent. */
    public ReplyWaiter() {
        this(PendingRequests.NONE);
    }

    /** A waiter that also asks {@code durable} about requests other instances sent. */
    public ReplyWaiter(PendingRequests durable) {
        this.durable = Objects.requireNonNull(durable, "durable");
    }

    /**
     * Registers interest in {@code requestId}; call before the command is sent, so no reply can
     * slip past. Two calls with the same id (a client retry) share one future: callers that add
     * their own timeout must do so on a {@link CompletableFuture#copy()}.
     */
    public CompletableFuture<Reply> expect(String requestId) {
        inFlight.put(requestId, Boolean.TRUE);
        // A finished future may linger a moment (its removal runs after the callers it woke): never reuse one.
        return waiting.compute(requestId, (id, existing) -> {
            if (existing != null && !existing.isDone()) {
                return existing;
            }
            CompletableFuture<Reply> f = new CompletableFuture<>();
            f.whenComplete((r, e) -> waiting.remove(id, f));
            // A reply that never comes (its command was lost) must not keep the entry forever.
            CoarseTimeouts.SHARED.orTimeout(f, IN_FLIGHT.toMillis(), TimeUnit.MILLISECONDS);
            return f;
        });
    }

    /** Whether a request sent from here (or, per the durable record, from another instance) has not been answered yet. */
    public boolean isInFlight(String requestId) {
        return isInFlightHere(requestId) || durable.isPending(requestId);
    }

    /** Whether a request sent from this instance has not been answered yet; reads no store. */
    public boolean isInFlightHere(String requestId) {
        return inFlight.getIfPresent(requestId) != null;
    }

    /** Forgets a request that was never sent (the queue refused it). */
    public void abandon(String requestId) {
        inFlight.invalidate(requestId);
        CompletableFuture<Reply> f = waiting.get(requestId);
        if (f != null) {
            f.cancel(false);
        }
    }

    /**
     * Stops counting a request as in flight without failing anyone waiting on it: its only call
     * closed and its waiter was taken out of line, so no answer is coming. A reply that does come
     * (a grant that was first) is still delivered and stored.
     */
    public void forget(String requestId) {
        inFlight.invalidate(requestId);
    }

    @Override
    public void send(Reply reply) {
        inFlight.invalidate(reply.requestId());
        // Removed before it completes: a caller woken by this reply that asks again (a retry) gets a new future.
        CompletableFuture<Reply> f = waiting.remove(reply.requestId());
        if (f != null) {
            f.complete(reply);
        }
    }
}
