package io.mutexify.azure.cosmos;

import com.azure.core.util.Context;
import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosDiagnosticsContext;
import com.azure.cosmos.CosmosDiagnosticsHandler;
import com.azure.cosmos.models.CosmosClientTelemetryConfig;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the documents a Cosmos DB client reads, from the SDK's own per-operation diagnostics: a
 * point read counts one (a 404 too: it is billed), a feed counts every document it returned. Writes
 * are counted apart. Built into a client made like the production one ({@link CosmosClients}).
 */
public final class CosmosReadCounter implements CosmosDiagnosticsHandler {
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> readConsistency = new ConcurrentHashMap<>();

    /** A client on the test server, built as in production, whose every operation is counted here. */
    public CosmosAsyncClient client(CosmosSettings settings) {
        return CosmosClients.builder(settings)
                .clientTelemetryConfig(new CosmosClientTelemetryConfig().diagnosticsHandler(this))
                .buildAsyncClient();
    }

    @Override
    public void handleDiagnostics(CosmosDiagnosticsContext ctx, Context context) {
        if (!"Document".equalsIgnoreCase(ctx.getResourceType())) {
            return; // database and container look-ups at start
        }
        String op = ctx.getOperationType();
        boolean feed = "ReadFeed".equalsIgnoreCase(op) || "Query".equalsIgnoreCase(op);
        long docs = feed ? (ctx.getActualItemCount() == null ? 0 : ctx.getActualItemCount()) : 1;
        if ("Read".equalsIgnoreCase(op) || feed) {
            readConsistency.computeIfAbsent(String.valueOf(ctx.getEffectiveConsistencyLevel()), k -> new AtomicLong())
                    .incrementAndGet();
        }
        String kind = "Read".equalsIgnoreCase(op) ? (ctx.getStatusCode() == 404 ? "read (404)" : "read")
                : feed ? "feed documents" : op.toLowerCase();
        counts.computeIfAbsent(kind, k -> new AtomicLong()).addAndGet(docs);
        if (feed) {
            counts.computeIfAbsent("feed requests", k -> new AtomicLong()).incrementAndGet();
        }
    }

    /** Documents read since the last reset: point reads (found or not) plus documents returned by feeds. */
    public long documentsRead() {
        return get("read") + get("read (404)") + get("feed documents");
    }

    public long get(String kind) {
        AtomicLong n = counts.get(kind);
        return n == null ? 0 : n.get();
    }

    /** Every count, by kind (read, read (404), feed documents, feed requests, create, upsert, replace, delete). */
    public Map<String, Long> breakdown() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** How many document reads ran at each consistency level, as the SDK says it sent them. */
    public Map<String, Long> readsByConsistency() {
        Map<String, Long> copy = new TreeMap<>();
        readConsistency.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    public void reset() {
        counts.clear();
        readConsistency.clear();
    }
}
