package io.mutexify.frontface.slots;

import io.mutexify.frontface.watch.SlotWatch;
import io.mutexify.model.port.SlotReader;
import io.mutexify.model.slot.SlotState;
import java.util.List;

/**
 * Every slot as of one global change index, read once and shared: when a change wakes a thousand
 * list watches, they all answer from one read of the store instead of a thousand.
 */
public final class SlotListSnapshot {
    private final SlotReader reader;
    private final SlotWatch watch;
    private volatile Snapshot current;

    /** The slots, read at or after global change {@code index}. */
    public record Snapshot(long index, List<SlotState> slots) {
    }

    public SlotListSnapshot(SlotReader reader, SlotWatch watch) {
        this.reader = reader;
        this.watch = watch;
    }

    /** The slots as of the current global index; read from the store only if that index has none yet. */
    public Snapshot now() {
        long index = watch.globalIndex();
        Snapshot s = current;
        if (s != null && s.index() >= index) {
            return s;
        }
        synchronized (this) {
            s = current;
            if (s != null && s.index() >= index) {
                return s;
            }
            // Read after the index: the slots are at least as new as the index they are labelled with.
            s = new Snapshot(index, reader.loadAll());
            current = s;
            return s;
        }
    }
}
