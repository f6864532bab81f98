package io.mutexify.lockkeeper;

import io.mutexify.model.event.LockEvent;
import io.mutexify.model.port.Telemetry;
import io.mutexify.model.slot.HistoryEntry;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Turns what a committed batch did into the custom events and metrics operators watch. */
final class LockkeeperTelemetry {
    private final Telemetry telemetry;

    LockkeeperTelemetry(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    void committed(String slotId, AppliedBatch applied) {
        for (LockEvent e : applied.events()) {
            telemetry.event(e.type().wireName(), Map.of("slot", e.slotId()));
        }
        if (applied.contended() > 0) {
            telemetry.metric("mutexify.contention", applied.contended(), Map.of("slot", slotId));
        }
        List<HistoryEntry> ended = applied.write() == null ? List.of() : applied.write().history();
        for (HistoryEntry h : ended) {
            double held = Duration.between(h.acquiredAt(), h.endedAt()).toMillis() / 1000.0;
            telemetry.metric("mutexify.hold.seconds", held, Map.of("slot", slotId, "end", h.endReason().wireName()));
        }
    }

    void commitTook(String slotId, long nanos, int commands) {
        telemetry.metric("mutexify.store.commit.ms", nanos / 1e6, Map.of("slot", slotId));
        telemetry.metric("mutexify.batch.commands", commands, Map.of("slot", slotId));
    }

    void conflict(String slotId) {
        telemetry.metric("mutexify.store.conflict", 1, Map.of("slot", slotId));
    }

    /** A batch the store refused (full disk, failed fsync): its changes were not acknowledged. */
    void storeUnavailable(String slotId) {
        telemetry.metric("mutexify.store.unavailable", 1, Map.of("slot", slotId));
    }
}
