package io.mutexify.frontface.locks;

import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.frontface.watch.SlotWatch;
import io.mutexify.model.command.Actor;
import io.mutexify.model.port.SlotReader;
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
    private final SlotReader reader;
    private final SlotWatch watch;
    private final Clock clock;

    public OwnLocks(SlotReader reader, SlotWatch watch, Clock clock) {
        this.reader = reader;
        this.watch = watch;
        this.clock = clock;
    }

    public ApiResponse list(Actor actor) {
        // The index is read first: the holds read after it are at least as new as the index says.
        long index = watch.globalIndex();
        Instant now = clock.instant();
        List<LockView> mine = reader.heldBy(actor.principal()).stream()
                .filter(s -> s.isRegistered())
                .flatMap(s -> s.liveHolds(now).stream()
                        .filter(h -> h.principal().equals(actor.principal()))
                        .map(h -> LockView.forHolder(s.id(), h)))
                .toList();
        return ApiResponse.json(200, Map.of("locks", mine, "index", index));
    }
}
