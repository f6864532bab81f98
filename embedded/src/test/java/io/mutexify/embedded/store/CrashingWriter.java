package io.mutexify.embedded.store;

import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.SlotWrite;
import io.mutexify.model.slot.SlotState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Run in a child JVM by {@link SqliteStoreCrashTest}: commits forever from a few threads and prints
 * "acked slot version" after each commit returns, until the test kills it with SIGKILL.
 */
final class CrashingWriter {
    private CrashingWriter() {
    }

    public static void main(String[] args) throws Exception {
        SqliteSlotStore store = SqliteSlotStore.open(Path.of(args[0]));
        int threads = Integer.parseInt(args[1]);
        for (int t = 0; t < threads; t++) {
            String slot = "crash-" + t;
            Thread writer = new Thread(() -> {
                for (long v = 0; ; v++) {
                    SlotState next = SlotState.empty(slot).withFence(v + 1);
                    String rid = slot + "-" + v;
                    if (!store.commit(new SlotWrite(slot, v, next, List.of(Reply.noContent(rid, slot)), List.of(),
                            List.of(), Instant.now()))) {
                        throw new IllegalStateException("unexpected conflict on " + slot);
                    }
                    // Printed only after commit() returned: this line is the acknowledgement.
                    synchronized (System.out) {
                        System.out.println("acked " + slot + " " + (v + 1));
                        System.out.flush();
                    }
                }
            });
            writer.start();
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
