package io.mutexify.embedded.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Events: every committed change (the store's holds and history, every acknowledged extend, the
 * outbox) reached the receiver, and no event id ever carried two different events.
 */
final class EventCheck {
    private static final String LOCK = "io.mutexify.lock.";

    private EventCheck() {
    }

    static void check(CampaignRecord record, List<Violation> out) {
        Map<String, Set<JsonNode>> byId = new HashMap<>();
        Set<String> delivered = new HashSet<>();
        for (Delivery d : record.deliveries()) {
            byId.computeIfAbsent(d.id(), k -> new LinkedHashSet<>()).add(d.event());
            if (d.accepted()) {
                delivered.add(d.slot() + " " + d.type() + " " + d.fence());
                if (d.type().equals(LOCK + "extended") && d.expireAt() != null) {
                    delivered.add(d.slot() + " " + d.type() + " " + d.fence() + " " + Instant.parse(d.expireAt()));
                }
                if (d.type().equals("io.mutexify.slot.created")) {
                    delivered.add(d.slot() + " created");
                }
            }
        }
        byId.forEach((id, contents) -> {
            if (contents.size() > 1) {
                out.add(new Violation(Violation.Kind.EVENT_ID_REUSED, "event id " + id + " carried " + contents.size()
                        + " different events: " + contents));
            }
        });
        for (StoreSnapshot.Slot s : record.store().slots().values()) {
            if (s.registered()) {
                expect(delivered, s.id() + " created", "slot.created of " + s.id(), out);
            }
            for (StoreSnapshot.Ended e : s.history()) {
                String hold = s.id() + " fence " + e.fence();
                expect(delivered, s.id() + " " + LOCK + "acquired " + e.fence(), "acquired of " + hold, out);
                expect(delivered, s.id() + " " + LOCK + e.reason() + " " + e.fence(), e.reason() + " of " + hold, out);
            }
            if (s.current() != null) {
                long f = s.current().fence();
                expect(delivered, s.id() + " " + LOCK + "acquired " + f, "acquired of " + s.id() + " fence " + f + " (held now)", out);
            }
        }
        Map<String, Long> fenceOfToken = new HashMap<>();
        for (Op op : record.ops()) {
            if (op.kind == Op.Kind.ACQUIRE && op.acknowledged()) {
                op.answer().ifPresent(a -> fenceOfToken.put(a.token(), a.fence()));
            }
        }
        for (Op op : record.ops()) {
            Long fence = fenceOfToken.get(op.token);
            if (op.kind == Op.Kind.EXTEND && op.acknowledged() && fence != null) {
                expect(delivered, op.slot + " " + LOCK + "extended " + fence + " " + op.expireAt(),
                        "extended of " + op.slot + " fence " + fence + " to " + op.expireAt(), out);
            }
        }
        Set<String> acceptedIds = new HashSet<>();
        record.deliveries().stream().filter(Delivery::accepted).forEach(d -> acceptedIds.add(d.id()));
        for (JsonNode e : record.store().outbox()) {
            String id = e.path("id").asText();
            if (!acceptedIds.contains(id)) {
                out.add(new Violation(Violation.Kind.EVENT_MISSING, "outbox event " + id + " was never delivered: " + e));
            } else if (!byId.get(id).contains(e)) {
                out.add(new Violation(Violation.Kind.EVENT_ID_REUSED, "outbox event " + id + " is " + e
                        + " but was delivered as " + byId.get(id)));
            }
        }
    }

    private static void expect(Set<String> delivered, String key, String what, List<Violation> out) {
        if (!delivered.contains(key)) {
            out.add(new Violation(Violation.Kind.EVENT_MISSING, "no delivered event for the committed change: " + what));
        }
    }
}
