package io.mutexify.embedded.campaign;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A lock a client was told it got, with the interval it surely held it: from the grant's answer
 * to the earlier of the first release send and the last acknowledged expiry less the margin.
 * Any interval the client did not know of (a lost answer) only shortens what is claimed, so an
 * overlap of these intervals is a real breach, never an artefact of faults.
 */
public record Grant(Op op, String slot, String token, long fence, long invokeNanos, long startNanos, long endNanos,
                    Instant lastExpireAt) {

    /** The grants of a run, in history order. */
    public static List<Grant> of(CampaignRecord record) {
        Map<String, Instant> lastExpiry = new HashMap<>();
        Map<String, Long> releaseSent = new HashMap<>();
        for (Op op : record.ops()) {
            if (op.kind == Op.Kind.EXTEND && op.acknowledged()) {
                lastExpiry.merge(op.token, op.expireAt(), (a, b) -> a.isAfter(b) ? a : b);
            } else if (op.kind == Op.Kind.RELEASE && op.invokeNanos() != Long.MAX_VALUE) {
                releaseSent.merge(op.token, op.invokeNanos(), Math::min);
            }
        }
        List<Grant> grants = new ArrayList<>();
        for (Op op : record.ops()) {
            if (op.kind != Op.Kind.ACQUIRE || !op.acknowledged()) {
                continue;
            }
            Attempt a = op.answer().orElseThrow();
            Instant expiry = lastExpiry.getOrDefault(a.token(), a.expireAt());
            if (expiry.isBefore(a.expireAt())) {
                expiry = a.expireAt();
            }
            long end = Math.min(releaseSent.getOrDefault(a.token(), Long.MAX_VALUE),
                    record.timeline().toNanos(expiry) - record.marginNanos());
            grants.add(new Grant(op, op.slot, a.token(), a.fence(), op.invokeNanos(), a.doneNanos(), end, expiry));
        }
        return grants;
    }

    /** Whether the interval is not empty (a grant answered after its expiry was never surely held). */
    public boolean surelyHeld() {
        return endNanos > startNanos;
    }

    @Override
    public String toString() {
        return slot + " fence " + fence + " (" + op.owner + ", key " + op.key + ", token " + token + ")";
    }
}
