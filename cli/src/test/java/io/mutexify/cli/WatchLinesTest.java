package io.mutexify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.client.LockInfo;
import io.mutexify.client.SlotInfo;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code watch}'s lines for a terminal: type, who, why, fence, time left. */
class WatchLinesTest {
    private static final Instant T = Instant.parse("2026-01-01T12:00:00Z");

    private static LockInfo lock(String owner, long fence, Instant expireAt) {
        return new LockInfo("id", "ci-env-1", owner, "alice", null, fence, 300, List.of(), T, T, expireAt);
    }

    private static SlotInfo slot(LockInfo lock, int waiting) {
        return new SlotInfo("ci-env-1", null, null, List.of(), List.of(), 60, 3600, T, T, lock == null ? 11 : lock.fence(),
                1, lock == null ? "free" : "held", lock, waiting, List.of(), 1, List.of(), 0,
                lock == null ? List.of() : List.of(lock), lock == null ? 1 : 0);
    }

    @Test
    void saysWhatChangedWhoHoldsItTheFenceAndTimeLeft() {
        SlotInfo free = slot(null, 0);
        SlotInfo held = slot(lock("job-4711", 12, T.plusSeconds(240)), 1);
        assertThat(WatchLines.line(null, free, T)).endsWith("free            ci-env-1");
        assertThat(WatchLines.line(free, held, T))
                .contains("acquired").contains("by job-4711 (alice)").contains("fence 12").contains("4m left").contains("1 waiting");
        SlotInfo next = slot(lock("job-4712", 13, T.plusSeconds(60)), 0);
        assertThat(WatchLines.line(held, next, T)).contains("handed-over").contains("job-4712").contains("fence 13");
        assertThat(WatchLines.line(next, free, T.plusSeconds(61))).contains("expired").contains("(was job-4712 (alice))");
        assertThat(WatchLines.line(next, free, T.plusSeconds(5))).contains("released/broken");
    }
}
