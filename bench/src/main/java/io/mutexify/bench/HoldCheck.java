package io.mutexify.bench;

import java.util.Comparator;
import java.util.List;

/** Checks what the contended clients saw: fences strictly increase in grant order and no two holds overlap. */
final class HoldCheck {
    private HoldCheck() {
    }

    /** Each hold is {fence, grantedNanos, releaseStartedNanos}. */
    static String check(List<long[]> holds) {
        holds.sort(Comparator.comparingLong(h -> h[0]));
        for (int i = 1; i < holds.size(); i++) {
            long[] prev = holds.get(i - 1);
            long[] cur = holds.get(i);
            if (cur[0] == prev[0]) {
                return "FAILED: fence " + cur[0] + " granted twice";
            }
            if (cur[1] < prev[2]) {
                return "FAILED: fence " + cur[0] + " granted before fence " + prev[0] + " was released";
            }
        }
        return "ok: " + holds.size() + " holds, fences strictly increasing, no overlap";
    }
}
