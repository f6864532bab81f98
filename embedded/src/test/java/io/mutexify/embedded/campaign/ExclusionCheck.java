package io.mutexify.embedded.campaign;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Mutual exclusion: on one slot, no two grants' surely-held intervals overlap. */
final class ExclusionCheck {
    private ExclusionCheck() {
    }

    static void check(List<Grant> grants, long originNanos, List<Violation> out) {
        Map<String, List<Grant>> bySlot = grants.stream().filter(Grant::surelyHeld)
                .collect(Collectors.groupingBy(Grant::slot));
        for (List<Grant> slot : bySlot.values()) {
            slot.sort(Comparator.comparingLong(Grant::startNanos));
            Grant longest = null;
            for (Grant g : slot) {
                if (longest != null && g.startNanos() < longest.endNanos()) {
                    out.add(new Violation(Violation.Kind.OVERLAP, g + " was granted at " + ms(g.startNanos(), originNanos)
                            + " while " + longest + " was surely held until " + ms(longest.endNanos(), originNanos)));
                }
                if (longest == null || g.endNanos() > longest.endNanos()) {
                    longest = g;
                }
            }
        }
    }

    static String ms(long nanos, long originNanos) {
        return "+" + (nanos - originNanos) / 1_000_000 + " ms";
    }
}
