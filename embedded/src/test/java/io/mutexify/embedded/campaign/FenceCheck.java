package io.mutexify.embedded.campaign;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Fences: one grant per fence per slot, and a grant asked for after another was answered has a
 * higher fence (real-time order, across restarts); the store's history agrees.
 */
final class FenceCheck {
    private FenceCheck() {
    }

    static void check(List<Grant> grants, StoreSnapshot store, List<Violation> out) {
        Map<String, List<Grant>> bySlot = grants.stream().collect(Collectors.groupingBy(Grant::slot));
        for (List<Grant> slot : bySlot.values()) {
            unique(slot, out);
            realTimeOrder(slot, out);
        }
        for (StoreSnapshot.Slot s : store.slots().values()) {
            stored(s, out);
        }
    }

    private static void unique(List<Grant> slot, List<Violation> out) {
        Map<Long, Grant> byFence = new HashMap<>();
        for (Grant g : slot) {
            Grant other = byFence.putIfAbsent(g.fence(), g);
            if (other != null && !other.token().equals(g.token())) {
                out.add(new Violation(Violation.Kind.FENCE_REUSED, g + " and " + other + " share a fence"));
            }
        }
    }

    /** Sweeps grants by invoke time, knowing the highest fence among grants answered before it. */
    private static void realTimeOrder(List<Grant> slot, List<Violation> out) {
        List<Grant> byAnswer = new ArrayList<>(slot);
        byAnswer.sort(Comparator.comparingLong(Grant::startNanos));
        List<Grant> byInvoke = new ArrayList<>(slot);
        byInvoke.sort(Comparator.comparingLong(Grant::invokeNanos));
        Grant highest = null;
        int i = 0;
        for (Grant g : byInvoke) {
            while (i < byAnswer.size() && byAnswer.get(i).startNanos() < g.invokeNanos()) {
                Grant before = byAnswer.get(i++);
                if (highest == null || before.fence() > highest.fence()) {
                    highest = before;
                }
            }
            if (highest != null && highest.fence() >= g.fence()) {
                out.add(new Violation(Violation.Kind.FENCE_ORDER, g + " was asked for after " + highest
                        + " was granted, yet its fence is not higher"));
            }
        }
    }

    private static void stored(StoreSnapshot.Slot s, List<Violation> out) {
        long last = Long.MIN_VALUE;
        for (StoreSnapshot.Ended e : s.history()) {
            if (e.fence() == last) {
                out.add(new Violation(Violation.Kind.FENCE_REUSED, "slot " + s.id() + ": fence " + e.fence()
                        + " ended twice in the store's history"));
            } else if (e.fence() < last) {
                out.add(new Violation(Violation.Kind.FENCE_ORDER, "slot " + s.id() + ": fence " + e.fence()
                        + " ended after fence " + last + " in the store's history"));
            }
            last = Math.max(last, e.fence());
        }
        long highest = last;
        if (s.current() != null) {
            if (s.current().fence() <= last) {
                out.add(new Violation(Violation.Kind.FENCE_ORDER, "slot " + s.id() + ": current hold's fence "
                        + s.current().fence() + " is not above its history's " + last));
            }
            highest = Math.max(highest, s.current().fence());
        }
        if (highest > s.fence()) {
            out.add(new Violation(Violation.Kind.FENCE_ORDER, "slot " + s.id() + ": fence counter " + s.fence()
                    + " is below fence " + highest + " it handed out"));
        }
    }
}
