package io.mutexify.embedded.campaign;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One answer per Idempotency-Key: every answer a key got, and the reply stored for it, agree; and
 * a key that was refused never holds the slot later.
 */
final class IdempotencyCheck {
    private IdempotencyCheck() {
    }

    static void check(CampaignRecord record, List<Violation> out) {
        Map<String, StoreSnapshot.Slot> slots = record.store().slots();
        Map<String, StoreSnapshot.Hold> holdsByOwner = slots.values().stream()
                .filter(s -> s.current() != null)
                .collect(Collectors.toMap(s -> s.current().owner() + "@" + s.id(), StoreSnapshot.Slot::current, (a, b) -> a));
        Set<String> endedOwners = slots.values().stream()
                .flatMap(s -> s.history().stream().map(e -> e.owner() + "@" + s.id()))
                .collect(Collectors.toSet());
        for (Op op : record.ops()) {
            Set<String> answers = op.attempts().stream().filter(Attempt::isFinal).map(Attempt::answer)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            Attempt stored = record.store().replies().get(op.requestId);
            if (answers.size() > 1) {
                out.add(new Violation(Violation.Kind.TWO_ANSWERS, op + " was answered " + answers));
            }
            if (!answers.isEmpty() && stored == null) {
                out.add(new Violation(Violation.Kind.TWO_ANSWERS, op + " was answered " + answers
                        + " but the store keeps no reply, so a retry would be applied again"));
            } else if (stored != null && !answers.isEmpty() && !answers.contains(stored.answer())) {
                out.add(new Violation(Violation.Kind.TWO_ANSWERS, op + " was answered " + answers
                        + " but the store's reply is " + stored.answer()));
            }
            boolean refused = op.kind == Op.Kind.ACQUIRE && op.answer().isPresent() && !op.acknowledged();
            String mark = op.owner + "@" + op.slot;
            if (refused && (holdsByOwner.containsKey(mark) || endedOwners.contains(mark))) {
                out.add(new Violation(Violation.Kind.TWO_ANSWERS, op + " was refused, yet the store shows its request holding "
                        + op.slot + (holdsByOwner.containsKey(mark) ? " now" : " earlier")));
            }
        }
    }
}
