package io.mutexify.embedded.campaign;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mutexify.model.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The run's figures, and its history, deliveries and violations written out for a closer look. */
final class CampaignReport {
    private CampaignReport() {
    }

    static String summary(CampaignRecord record, List<Violation> violations, String faults) {
        List<Op> ops = record.ops();
        StringBuilder s = new StringBuilder();
        for (Op.Kind kind : Op.Kind.values()) {
            List<Op> of = ops.stream().filter(o -> o.kind == kind).toList();
            Map<String, Long> answers = of.stream().collect(Collectors.groupingBy(
                    o -> o.answer().map(a -> Integer.toString(a.status())).orElse("none"), TreeMap::new, Collectors.counting()));
            s.append(String.format("%-8s %6d ops, answers %s%n", kind, of.size(), answers));
        }
        long sentAgain = ops.stream().filter(o -> o.attempts().stream().filter(a -> !a.poll()).count() > 1).count();
        long hedgeAnswered = ops.stream().filter(o -> "hedged".equals(o.style))
                .filter(o -> o.attempts().stream().noneMatch(a -> Hedge.DROPPED.equals(a.error()))).count();
        long accepted202 = ops.stream().filter(o -> o.attempts().stream().anyMatch(a -> a.status() == 202 && !a.poll())).count();
        long hedged = ops.stream().filter(o -> "hedged".equals(o.style)).count();
        long noAnswer = ops.stream().filter(o -> o.attempts().stream().anyMatch(a -> a.status() == 0)).count();
        long status503 = ops.stream().flatMap(o -> o.attempts().stream()).filter(a -> a.status() == 503).count();
        s.append(String.format("sends that got no answer in %d ops; %d ops sent more than once under their key; %d answered"
                + " 202 first; %d hedged (%d first sends answered before the drop); %d answers 503%n",
                noAnswer, sentAgain, accepted202, hedged, hedgeAnswered, status503));
        Map<String, String> grantedByStyle = ops.stream().filter(o -> o.kind == Op.Kind.ACQUIRE && o.style != null)
                .collect(Collectors.groupingBy(o -> o.style, TreeMap::new, Collectors.collectingAndThen(Collectors.toList(),
                        l -> l.stream().filter(Op::acknowledged).count() + "/" + l.size())));
        s.append("acquires granted by how they were sent: ").append(grantedByStyle).append('\n');
        s.append(faults).append('\n');
        long distinct = record.deliveries().stream().map(Delivery::id).distinct().count();
        s.append(String.format("webhook: %d POSTs, %d distinct event ids, %d events in the store's outbox at the end%n",
                record.deliveries().size(), distinct, record.store().outbox().size()));
        s.append(expiryLateness(record)).append('\n');
        Map<Violation.Kind, Long> byKind = violations.stream()
                .collect(Collectors.groupingBy(Violation::kind, TreeMap::new, Collectors.counting()));
        s.append("violations: ").append(violations.isEmpty() ? "none" : byKind.toString()).append('\n');
        return s.toString();
    }

    /** How long after {@code expireAt} expiries were applied (the expired event's time), over the whole run. */
    private static String expiryLateness(CampaignRecord record) {
        List<Long> late = new ArrayList<>();
        record.deliveries().stream().filter(d -> d.accepted() && d.type().equals("io.mutexify.lock.expired"))
                .collect(Collectors.toMap(Delivery::id, d -> d, (a, b) -> a)).values()
                .forEach(d -> late.add(Duration.between(Instant.parse(d.expireAt()),
                        Instant.parse(d.event().path("time").asText())).toMillis()));
        if (late.isEmpty()) {
            return "expiries: none";
        }
        Collections.sort(late);
        return String.format("expiries: %d, applied after expireAt by p50 %d ms, p99 %d ms, max %d ms"
                        + " (the max includes time the server was down or paused)",
                late.size(), late.get(late.size() / 2), late.get(Math.min(late.size() - 1, late.size() * 99 / 100)),
                late.get(late.size() - 1));
    }

    /** Writes summary.txt, violations.txt, history.jsonl and deliveries.jsonl into {@code dir}. */
    static void write(Path dir, CampaignRecord record, List<Violation> violations, String summary) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("summary.txt"), summary, StandardCharsets.UTF_8);
            Files.write(dir.resolve("violations.txt"), violations.stream().map(Violation::toString).toList(), StandardCharsets.UTF_8);
            List<String> history = new ArrayList<>();
            for (Op op : record.ops()) {
                history.add(Json.mapper().writeValueAsString(json(op, record.timeline().anchorNanos())));
            }
            Files.write(dir.resolve("history.jsonl"), history, StandardCharsets.UTF_8);
            List<String> deliveries = new ArrayList<>();
            for (Delivery d : record.deliveries()) {
                deliveries.add((d.accepted() ? "accepted " : "refused ") + Json.mapper().writeValueAsString(d.event()));
            }
            Files.write(dir.resolve("deliveries.jsonl"), deliveries, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode json(Op op, long origin) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("kind", op.kind.name()).put("client", op.client).put("slot", op.slot).put("key", op.key)
                .put("requestId", op.requestId).put("owner", op.owner).put("token", op.token).put("style", op.style);
        ArrayNode attempts = o.putArray("attempts");
        for (Attempt a : op.attempts()) {
            ObjectNode j = attempts.addObject();
            j.put("sentMs", (a.sentNanos() - origin) / 1e6).put("doneMs", (a.doneNanos() - origin) / 1e6)
                    .put("status", a.status()).put("error", a.error()).put("poll", a.poll());
            if (a.token() != null) {
                j.put("token", a.token()).put("fence", a.fence()).put("expireAt", a.expireAt().toString());
            }
        }
        return o;
    }
}
