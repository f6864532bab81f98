package io.mutexify.lockkeeper;

import io.mutexify.model.command.FreshIds;
import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.machine.Outcome;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.machine.SlotMachine;
import io.mutexify.model.port.SlotReader;
import io.mutexify.model.port.SlotWrite;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.SlotState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Applies a batch of one slot's commands in memory, in order: a request seen before gets its
 * recorded reply again and changes nothing; every other command goes through the machine.
 * The whole batch becomes one {@link SlotWrite}, so a busy slot costs one commit per batch.
 */
final class BatchApplier {
    private final SlotMachine machine;
    private final SlotReader reader;
    private final Clock clock;
    private final Supplier<String> tokens;

    BatchApplier(SlotMachine machine, SlotReader reader, Clock clock, Supplier<String> tokens) {
        this.machine = machine;
        this.reader = reader;
        this.clock = clock;
        this.tokens = tokens;
    }

    /**
     * One token drawn up front per command, as a slot with one place needs; a command that grants
     * several places of a pool draws the rest as it needs them.
     */
    private Supplier<String> tokensFor() {
        String first = tokens.get();
        boolean[] used = {false};
        return () -> {
            if (used[0]) {
                return tokens.get();
            }
            used[0] = true;
            return first;
        };
    }

    AppliedBatch apply(SlotState start, List<SlotCommand> batch) {
        return apply(start, batch, false);
    }

    /**
     * {@code firstDelivery}: no command of the batch reached a handler before, so a fresh request id
     * ({@link FreshIds}) has no stored reply and is not looked up; every other request id is.
     */
    AppliedBatch apply(SlotState start, List<SlotCommand> batch, boolean firstDelivery) {
        SlotState state = start;
        boolean changed = false;
        Map<String, Reply> answered = new HashMap<>();
        List<Reply> toRecord = new ArrayList<>();
        List<Reply> toSend = new ArrayList<>();
        List<LockEvent> events = new ArrayList<>();
        List<HistoryEntry> history = new ArrayList<>();
        List<ScheduledCommand> timers = new ArrayList<>();
        int contended = 0;
        boolean replayed = false;
        Instant now = Instant.MIN;
        for (SlotCommand command : batch) {
            if (command.fromClient()) {
                boolean mayBeStored = !(firstDelivery && FreshIds.isFresh(command.requestId()));
                Optional<Reply> seen = Optional.ofNullable(answered.get(command.requestId()))
                        .or(() -> mayBeStored ? reader.findReply(command.requestId()) : Optional.empty());
                if (seen.isPresent()) {
                    replayed |= !answered.containsKey(command.requestId());
                    toSend.add(seen.get());
                    continue;
                }
            }
            // Never let time run backwards inside a batch, even if the wall clock is stepped back.
            Instant tick = clock.instant();
            now = tick.isAfter(now) ? tick : now;
            Outcome outcome = machine.apply(state, command, now, tokensFor());
            state = outcome.state();
            changed |= outcome.changed();
            List<Reply> produced = new ArrayList<>(outcome.otherReplies());
            if (outcome.reply() != null && command.fromClient()) {
                // Last: the others are grants to waiters, whose callers should not wait for this one's answer.
                produced.add(outcome.reply());
                if ("locked".equals(outcome.reply().error())) {
                    contended++;
                }
            }
            for (Reply r : produced) {
                answered.put(r.requestId(), r);
            }
            toRecord.addAll(produced);
            toSend.addAll(produced);
            events.addAll(outcome.events());
            history.addAll(outcome.history());
            timers.addAll(outcome.timers());
        }
        if (changed) {
            stampCommittedVersion(start.version() + 1, toRecord, toSend);
        }
        boolean acknowledgesNothing = toSend.isEmpty() && toRecord.isEmpty() && events.isEmpty() && history.isEmpty()
                && batch.stream().allMatch(BatchApplier::joinsTheLineAtMost);
        SlotWrite write = changed || !toRecord.isEmpty()
                ? new SlotWrite(start.id(), start.version(), changed ? state : null, toRecord, events, history,
                        now.equals(Instant.MIN) ? clock.instant() : now, acknowledgesNothing)
                : null;
        return new AppliedBatch(write, toSend, timers, events, contended, replayed);
    }

    /**
     * Whether {@code command} can change its slot only by joining the line: a waiting acquire held
     * by one call. A long wait is not: its caller is told it is in line (202) while it waits.
     */
    private static boolean joinsTheLineAtMost(SlotCommand command) {
        return command instanceof SlotCommand.Acquire a && a.waitSeconds() > 0 && a.longWaitCallSeconds() == null;
    }

    /**
     * The machine renders a slot reply (201 create, 200 update) with the version it read, but the
     * slot is stored with the next one: a client watching from the index of its own change must
     * not be woken by that very change. Only replies made in this batch are stamped; replies
     * replayed from the store already carry the version they were committed with.
     */
    private static void stampCommittedVersion(long committedVersion, List<Reply> toRecord, List<Reply> toSend) {
        Map<Reply, Reply> stamped = new IdentityHashMap<>();
        for (Reply r : toRecord) {
            if (r.slot() != null) {
                stamped.put(r, r.withSlot(r.slot().withVersion(committedVersion)));
            }
        }
        if (!stamped.isEmpty()) {
            toRecord.replaceAll(r -> stamped.getOrDefault(r, r));
            toSend.replaceAll(r -> stamped.getOrDefault(r, r));
        }
    }
}
