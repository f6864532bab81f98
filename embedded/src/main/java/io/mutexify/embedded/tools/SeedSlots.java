package io.mutexify.embedded.tools;

import io.mutexify.embedded.store.SqliteSlotStore;
import io.mutexify.model.port.SlotWrite;
import io.mutexify.model.slot.Limits;
import io.mutexify.model.slot.SlotConfig;
import io.mutexify.model.slot.SlotState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers many idle slots in a data folder before a server starts, through the store's own write
 * path: {@code seed-0000000 .. seed-<N-1>}, owned by one principal with another as member. The
 * bench uses it to measure with a million registered slots, which HTTP would take hours to make.
 * Usage: {@code SeedSlots <data dir> <count> <owner> <member>}.
 */
public final class SeedSlots {
    private static final int BATCH = 10_000;

    private SeedSlots() {
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: SeedSlots <data dir> <count> <owner> <member>");
            System.exit(2);
        }
        long started = System.nanoTime();
        int count = Integer.parseInt(args[1]);
        try (SqliteSlotStore store = SqliteSlotStore.open(Path.of(args[0]))) {
            int done = seed(store, count, args[2], args[3], Instant.now());
            System.out.printf("seeded %,d slots in %.1f s%n", done, (System.nanoTime() - started) / 1e9);
        }
    }

    /** Registers slots {@code seed-0000000 ..} up to {@code count}; returns how many were new. */
    public static int seed(SqliteSlotStore store, int count, String owner, String member, Instant now) {
        // The configuration a registration by the owner with a member and no other settings makes.
        SlotConfig config = new SlotConfig(null, null, List.of(owner), List.of(member),
                Limits.DEFAULT_TIMEOUT, Limits.DEFAULT_MAX_TIMEOUT, now, now);
        int done = 0;
        for (int from = 0; from < count; from += BATCH) {
            List<SlotWrite> writes = new ArrayList<>(BATCH);
            for (int i = from; i < Math.min(count, from + BATCH); i++) {
                SlotState state = SlotState.empty(id(i)).withConfig(config);
                writes.add(new SlotWrite(state.id(), 0, state, List.of(), List.of(), List.of(), now));
            }
            done += store.importAll(writes);
        }
        return done;
    }

    /** The id of seeded slot {@code i}. */
    public static String id(int i) {
        return String.format("seed-%07d", i);
    }
}
