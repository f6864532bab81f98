package io.mutexify.cli;

import io.mutexify.client.LockInfo;
import io.mutexify.client.SlotInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * {@code watch}'s lines for people: what changed (type), who holds the slot, why a hold ended,
 * its fence and the time left, e.g. {@code 12:03:04 acquired ci-env-1 by job-4711 (alice), fence 12, 4m left}.
 */
final class WatchLines {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private WatchLines() {
    }

    /** The line for {@code now}; {@code before} is the previous state printed, or null for the first line. */
    static String line(SlotInfo before, SlotInfo now, Instant at) {
        LockInfo was = before == null ? null : before.lock();
        LockInfo is = now.lock();
        StringBuilder b = new StringBuilder(TIME.format(at)).append(' ');
        String type;
        if (before == null) {
            type = is == null ? "free" : "held";
        } else if (is != null && (was == null || was.fence() != is.fence())) {
            type = was == null ? "acquired" : "handed-over";
        } else if (is == null && was != null) {
            // Expired if its time was up; otherwise its holder released it or an owner broke it.
            type = was.expireAt() != null && !was.expireAt().isAfter(at.plusMillis(500)) ? "expired" : "released/broken";
        } else if (is != null && !is.expireAt().equals(was.expireAt())) {
            type = "extended";
        } else if (now.waiting() != before.waiting()) {
            type = now.waiting() > before.waiting() ? "joined-line" : "left-line";
        } else {
            type = "changed";
        }
        b.append(String.format("%-15s", type)).append(' ').append(now.id());
        LockInfo shown = is != null ? is : was;
        if (shown != null) {
            b.append(is != null ? " by " : " (was ").append(shown.owner());
            if (shown.principal() != null && !shown.principal().equals(shown.owner())) {
                b.append(" (").append(shown.principal()).append(')');
            }
            b.append(is != null ? "" : ")").append(", fence ").append(shown.fence());
            if (is != null && is.expireAt() != null) {
                b.append(", ").append(Durations.human(Duration.between(at, is.expireAt()))).append(" left");
            }
        }
        if (now.waiting() > 0) {
            b.append(", ").append(now.waiting()).append(" waiting");
        }
        return b.toString();
    }
}
