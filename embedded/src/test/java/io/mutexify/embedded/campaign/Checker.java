package io.mutexify.embedded.campaign;

import java.util.ArrayList;
import java.util.List;

/**
 * Judges a run: mutual exclusion, fences, nothing acknowledged lost, one answer per key, every
 * committed change delivered as an event with ids never reused, and no 5xx but 503 with Retry-After.
 */
public final class Checker {
    private Checker() {
    }

    /** Every violation the record shows; empty means the run kept every promise checked. */
    public static List<Violation> check(CampaignRecord record) {
        List<Violation> out = new ArrayList<>();
        List<Grant> grants = Grant.of(record);
        ExclusionCheck.check(grants, record.timeline().anchorNanos(), out);
        FenceCheck.check(grants, record.store(), out);
        DurabilityCheck.check(record, grants, out);
        IdempotencyCheck.check(record, out);
        EventCheck.check(record, out);
        statuses(record, out);
        return out;
    }

    private static void statuses(CampaignRecord record, List<Violation> out) {
        for (Op op : record.ops()) {
            for (Attempt a : op.attempts()) {
                if (a.status() >= 500 && !(a.status() == 503 && a.retryAfter())) {
                    out.add(new Violation(Violation.Kind.BAD_5XX, op + " got " + a.status() + " " + a.error()
                            + (a.status() == 503 ? " without Retry-After" : "")));
                }
            }
        }
    }
}
