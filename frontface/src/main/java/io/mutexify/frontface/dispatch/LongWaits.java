package io.mutexify.frontface.dispatch;

import io.mutexify.model.command.SlotCommand.Acquire;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Waiters whose wait outlasts one call: they answered 202 and stay in line while their client
 * keeps asking {@code /api/v1/requests/{id}}. One not asked for {@link #POLL_GRACE} (and with no
 * poll open) is taken out of the line, so a client that died never becomes a ghost holder.
 */
public final class LongWaits {
    /** How long a long wait may go unpolled before its waiter leaves the line. */
    public static final Duration POLL_GRACE = Duration.ofSeconds(30);

    private final Duration grace;
    private final ReplyWaiter replies;
    private final Consumer<Acquire> leaveLine;
    private final Map<String, Polls> tracked = new ConcurrentHashMap<>();

    private static final class Polls {
        final Acquire command;
        int open;
        long lastNanos = System.nanoTime();

        Polls(Acquire command) {
            this.command = command;
        }
    }

    /**
     * {@code leaveLine} takes a long wait's waiter out of its line. A null {@code grace} tracks
     * nothing: where polls may reach other instances, one instance cannot tell a wait went unpolled.
     */
    LongWaits(Duration grace, ReplyWaiter replies, Consumer<Acquire> leaveLine) {
        this.grace = grace;
        this.replies = replies;
        this.leaveLine = leaveLine;
    }

    /** Starts counting {@code command}'s polls: its first call ended with a 202. Nothing, with no grace. */
    void track(Acquire command) {
        if (grace == null) {
            return;
        }
        tracked.put(command.requestId(), new Polls(command));
        checkLater(command.requestId());
    }

    /** A poll of {@code requestId} begins; call {@link #pollEnded} when it is answered. */
    public void pollStarted(String requestId) {
        tracked.computeIfPresent(requestId, (id, p) -> {
            p.open++;
            p.lastNanos = System.nanoTime();
            return p;
        });
    }

    public void pollEnded(String requestId) {
        Polls still = tracked.computeIfPresent(requestId, (id, p) -> {
            p.open--;
            p.lastNanos = System.nanoTime();
            return p;
        });
        if (still != null) {
            checkLater(requestId);
        }
    }

    /** Takes {@code principal}'s long wait {@code requestId} out of its line now; false if there is none here. */
    public boolean cancel(String requestId, String principal) {
        Acquire[] gone = {null};
        tracked.computeIfPresent(requestId, (id, p) -> {
            if (p.command.actor().principal().equals(principal)) {
                gone[0] = p.command;
                return null;
            }
            return p;
        });
        if (gone[0] != null) {
            leaveLine.accept(gone[0]);
        }
        return gone[0] != null;
    }

    /** Whether {@code requestId} is a long wait still in line here. */
    public boolean isTracked(String requestId) {
        return tracked.containsKey(requestId);
    }

    private void checkLater(String requestId) {
        Executor later = CompletableFuture.delayedExecutor(grace.toMillis() + 50, TimeUnit.MILLISECONDS);
        CompletableFuture.runAsync(() -> check(requestId), later);
    }

    private void check(String requestId) {
        if (!replies.isInFlight(requestId)) {
            tracked.remove(requestId); // answered (granted or timed out) or forgotten: nothing to cancel
            return;
        }
        Acquire[] abandoned = {null};
        tracked.computeIfPresent(requestId, (id, p) -> {
            if (p.open <= 0 && System.nanoTime() - p.lastNanos >= grace.toNanos()) {
                abandoned[0] = p.command;
                return null;
            }
            return p;
        });
        if (abandoned[0] != null) {
            leaveLine.accept(abandoned[0]);
        }
    }
}
