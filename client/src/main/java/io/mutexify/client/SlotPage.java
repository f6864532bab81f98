package io.mutexify.client;

import java.util.List;

/**
 * One page of the slot list: the slots, by id, and the cursor of the next page ({@code null} on the
 * last). Pass {@code next} as {@code after} to {@link MutexifyClient#slotPage(int, String)}.
 */
public record SlotPage(List<SlotInfo> slots, String next) {
    public SlotPage {
        slots = List.copyOf(slots);
    }

    /** Whether another page follows. */
    public boolean hasNext() {
        return next != null;
    }
}
