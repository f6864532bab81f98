package io.mutexify.embedded.campaign;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Nothing acknowledged is lost: every acknowledged grant, release and extend is in the store after the run. */
final class DurabilityCheck {
    private DurabilityCheck() {
    }

    static void check(CampaignRecord record, List<Grant> grants, List<Violation> out) {
        StoreSnapshot store = record.store();
        Map<String, Grant> byToken = new HashMap<>();
        for (Grant g : grants) {
            byToken.put(g.token(), g);
            StoreSnapshot.Slot s = store.slots().get(g.slot());
            boolean current = s != null && s.current() != null && g.token().equals(s.current().token());
            boolean ended = ended(s, g.fence()).filter(e -> e.owner().equals(g.op().owner)).isPresent();
            if (!current && !ended) {
                out.add(new Violation(Violation.Kind.LOST_ACK,
                        "acknowledged grant " + g + " is neither the slot's hold nor in its history"));
            }
        }
        for (Op op : record.ops()) {
            if (op.kind == Op.Kind.ACQUIRE || !op.acknowledged()) {
                continue;
            }
            Grant g = byToken.get(op.token);
            if (g == null) {
                continue; // a token no acknowledged grant gave: nothing to compare with
            }
            StoreSnapshot.Slot s = store.slots().get(op.slot);
            Optional<StoreSnapshot.Ended> ended = ended(s, g.fence());
            if (op.kind == Op.Kind.RELEASE) {
                if (ended.filter(e -> e.reason().equals("released")).isEmpty()) {
                    out.add(new Violation(Violation.Kind.LOST_ACK, "acknowledged release of " + g + " is not in the history: "
                            + ended.map(StoreSnapshot.Ended::toString).orElse("no entry")));
                }
            } else if (!extendKept(s, g, ended, op.expireAt())) {
                out.add(new Violation(Violation.Kind.LOST_ACK, "acknowledged extend of " + g + " to " + op.expireAt()
                        + " is not reflected: " + ended.map(StoreSnapshot.Ended::toString)
                        .orElse(s == null || s.current() == null ? "no hold" : s.current().toString())));
            }
        }
    }

    /** The hold lasted at least to the extend's expiry, unless it was released or broken first. */
    private static boolean extendKept(StoreSnapshot.Slot s, Grant g, Optional<StoreSnapshot.Ended> ended, Instant expireAt) {
        if (ended.isPresent()) {
            return !ended.get().reason().equals("expired") || !ended.get().endedAt().isBefore(expireAt);
        }
        return s != null && s.current() != null && s.current().fence() == g.fence() && !s.current().expireAt().isBefore(expireAt);
    }

    private static Optional<StoreSnapshot.Ended> ended(StoreSnapshot.Slot s, long fence) {
        return s == null ? Optional.empty() : s.history().stream().filter(e -> e.fence() == fence).findFirst();
    }
}
