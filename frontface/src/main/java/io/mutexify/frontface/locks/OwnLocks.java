package io.mutexify.frontface.locks;

import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.frontface.slots.SlotListSnapshot;
import io.mutexify.model.command.Actor;
import io.mutexify.model.slot.LockView;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/me/locks}: the live locks the caller's principal holds, with their tokens, so
 * every tab and every process of one principal can extend or release what it holds. Only holds of
 * that very principal are listed; another principal's token never appears.
 */
public final class OwnLocks {
    private final SlotListSnapshot snapshot;
    private final Clock clock;

    public OwnLocks(SlotListSnapshot snapshot, Clock clock) {
        this.snapshot = snapshot;
        this.clock = clock;
    }

    public ApiResponse list(Actor actor) {
        Instant now = clock.instant();
        SlotListSnapshot.Snapshot snap = snapshot.now();
        List<LockView> mine = snap.slots().stream()
                .filter(s -> s.isRegistered())
                .flatMap(s -> s.liveHold(now).stream()
                        .filter(h -> h.principal().equals(actor.principal()))
                        .map(h -> LockView.forHolder(s.id(), h)))
                .toList();
        return ApiResponse.json(200, Map.of("locks", mine, "index", snap.index()));
    }
}
