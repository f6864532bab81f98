package io.mutexify.model.machine;

import io.mutexify.model.command.SlotCommand.CreateSlot;
import io.mutexify.model.command.SlotCommand.DeleteSlot;
import io.mutexify.model.command.SlotCommand.UpdateSlot;
import io.mutexify.model.command.SlotSpec;
import io.mutexify.model.event.EventType;
import io.mutexify.model.slot.Hold;
import io.mutexify.model.slot.LockView;
import io.mutexify.model.slot.SlotConfig;
import io.mutexify.model.slot.SlotState;
import io.mutexify.model.slot.SlotView;
import io.mutexify.model.slot.Waiter;
import java.util.List;
import java.util.Optional;

/** Registering, changing and deleting a slot, by its owners. */
final class SlotAdmin {
    private final Step s;

    SlotAdmin(Step s) {
        this.s = s;
    }

    void create(CreateSlot c) {
        if (s.state.isRegistered()) {
            s.reply = Reply.error(s.rid(), s.slotId(), 409, "slot_exists", "slot " + s.slotId() + " already exists");
            return;
        }
        var spec = c.spec();
        if (invalidSpec(spec)) {
            return;
        }
        List<String> owners = spec.owners() != null ? spec.owners() : List.of(c.actor().principal());
        List<String> units = spec.units() != null ? spec.units() : List.of();
        SlotConfig config = new SlotConfig(spec.name(), spec.description(), owners,
                spec.members() != null ? spec.members() : List.of(),
                spec.defaultTimeout() != null ? spec.defaultTimeout() : Math.min(s.policy.defaultTimeout(),
                        spec.maxTimeout() != null ? spec.maxTimeout() : s.policy.maxTimeout()),
                spec.maxTimeout() != null ? spec.maxTimeout() : s.policy.maxTimeout(), s.now, s.now,
                spec.capacity() != null ? spec.capacity() : units.isEmpty() ? 1 : units.size(),
                units, spec.lockDelay() != null ? spec.lockDelay() : 0);
        if (invalidConfig(config)) {
            return;
        }
        s.register(config, c.actor());
        s.reply = Reply.slot(s.rid(), 201, SlotView.of(s.state, s.now));
    }

    void update(UpdateSlot c) {
        if (!s.requireRegistered() || !s.requireOwner(c.actor())) {
            return;
        }
        SlotConfig old = s.state.config();
        var p = c.patch();
        if (invalidSpec(p)) {
            return;
        }
        List<String> units = p.units() != null ? p.units() : old.units();
        // New unit names bring their count as capacity; dropping the names keeps the number of places.
        int capacity = p.capacity() != null ? p.capacity()
                : p.units() != null && !units.isEmpty() ? units.size() : old.capacity();
        SlotConfig config = new SlotConfig(
                p.name() != null ? p.name() : old.name(),
                p.description() != null ? p.description() : old.description(),
                p.owners() != null ? p.owners() : old.owners(),
                p.members() != null ? p.members() : old.members(),
                p.defaultTimeout() != null ? p.defaultTimeout() : old.defaultTimeout(),
                p.maxTimeout() != null ? p.maxTimeout() : old.maxTimeout(),
                old.createdAt(), s.now, capacity, units,
                p.lockDelay() != null ? p.lockDelay() : old.lockDelay());
        if (invalidConfig(config)) {
            return;
        }
        // A lower capacity revokes nothing: live holds run their course, and no grant is made until under it.
        s.state = s.state.withConfig(config);
        s.changed = true;
        s.slotEvent(EventType.SLOT_UPDATED, c.actor());
        s.reply = Reply.slot(s.rid(), 200, SlotView.of(s.state, s.now));
    }

    void delete(DeleteSlot c) {
        if (!s.requireRegistered() || !s.requireOwner(c.actor())) {
            return;
        }
        Optional<Hold> live = s.state.liveHold(s.now);
        if (live.isPresent()) {
            s.reply = new Reply(s.rid(), s.slotId(), 409, "slot_held", "slot " + s.slotId() + " is held; release or break it first",
                    LockView.forPublic(s.slotId(), live.get()), null);
            return;
        }
        for (Waiter w : s.state.waiters()) {
            s.leftLine(w, s.notFoundFor(w.requestId(), "slot " + s.slotId() + " was deleted"));
        }
        // The fence, event count and ended waits are kept, so a slot registered again under this
        // id never hands out an old fence, reuses an event id or forgets an answer.
        s.state = new SlotState(s.slotId(), null, s.state.fence(), null, List.of(), s.state.version(), s.state.eventSeq(),
                s.state.endedWaits());
        s.changed = true;
        s.slotEvent(EventType.SLOT_DELETED, c.actor());
        s.reply = Reply.noContent(s.rid(), s.slotId());
    }

    private boolean invalidSpec(SlotSpec spec) {
        return refused(SlotRules.specProblem(spec));
    }

    private boolean invalidConfig(SlotConfig config) {
        return refused(SlotRules.problem(config));
    }

    /** Answers 400 invalid_slot when there is a {@code problem}. */
    private boolean refused(String problem) {
        if (problem != null) {
            s.reply = Reply.error(s.rid(), s.slotId(), 400, "invalid_slot", problem);
            return true;
        }
        return false;
    }
}
