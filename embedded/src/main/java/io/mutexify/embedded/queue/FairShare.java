package io.mutexify.embedded.queue;

import io.mutexify.model.port.QueueFullException;
import java.util.HashMap;
import java.util.Map;

/**
 * The queue's capacity, shared fairly between principals. With {@code n} principals having
 * commands waiting (the caller included), a caller is admitted while the queue is below capacity
 * and the caller below {@code capacity / n}; and, even when the queue is full, while the caller is
 * below {@code capacity / (n + 1)} — a reserve the flooders cannot take, so four flooding users
 * cannot starve a fifth. A lone caller may fill the whole queue. As a backstop, never more than
 * twice the capacity is queued in all.
 */
final class FairShare {
    private final int capacity;
    private final Map<String, Integer> queued = new HashMap<>();
    private int total;

    FairShare(int capacity) {
        this.capacity = capacity;
    }

    /** Counts one more command of {@code principal}, or throws {@link QueueFullException}. */
    synchronized void reserve(String principal) {
        int mine = queued.getOrDefault(principal, 0);
        int active = queued.size() + (mine == 0 ? 1 : 0);
        boolean withinCapacity = total < capacity && mine < Math.max(1, capacity / active);
        boolean withinReserve = mine < capacity / (active + 1);
        if (!(withinCapacity || withinReserve) || total >= 2L * capacity) {
            throw new QueueFullException("request queue is full for this caller (" + mine + " of their commands waiting, "
                    + total + " in all)", 1);
        }
        queued.put(principal, mine + 1);
        total++;
    }

    /** One command of {@code principal} left the queue. */
    synchronized void release(String principal) {
        queued.computeIfPresent(principal, (p, n) -> n <= 1 ? null : n - 1);
        total--;
    }

    synchronized int total() {
        return total;
    }
}
