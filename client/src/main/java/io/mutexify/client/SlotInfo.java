package io.mutexify.client;

import java.time.Instant;
import java.util.List;

/**
 * A registered slot as the server shows it: its registration, its state, who holds it (public view,
 * no token) and who waits for it.
 *
 * @param id             the slot id
 * @param name           a display name, or null
 * @param description    a description, or null
 * @param owners         principals who may change, delete and break it
 * @param members        principals who may lock it (besides the owners); empty means everyone
 * @param defaultTimeout lock timeout in seconds when an acquire names none
 * @param maxTimeout     the longest lock timeout in seconds
 * @param createdAt      when it was registered (server time)
 * @param updatedAt      when its registration last changed (server time)
 * @param fence          the last fence handed out on this slot
 * @param version        the slot's change index: pass it to {@link MutexifyClient#watch} to wait for the next change
 * @param state          {@code held} or {@code free}
 * @param lock           the holder's public view, or null when free
 * @param waiting        how many callers wait in line
 * @param waiters        the line, oldest first
 * @param capacity       how many may hold it at once (1 for a plain lock)
 * @param units          the named units of a pool, empty when it has none
 * @param lockDelay      seconds a unit stays ungranted after a hold of it expired or was broken
 * @param holds          every live hold, lowest fence first ({@code lock} is the first)
 * @param available      how many more could be granted now
 */
public record SlotInfo(
        String id,
        String name,
        String description,
        List<String> owners,
        List<String> members,
        int defaultTimeout,
        int maxTimeout,
        Instant createdAt,
        Instant updatedAt,
        long fence,
        long version,
        String state,
        LockInfo lock,
        int waiting,
        List<Waiter> waiters,
        int capacity,
        List<String> units,
        int lockDelay,
        List<LockInfo> holds,
        int available) {

    /** Copies the lists; null becomes empty. */
    public SlotInfo {
        owners = owners == null ? List.of() : List.copyOf(owners);
        members = members == null ? List.of() : List.copyOf(members);
        waiters = waiters == null ? List.of() : List.copyOf(waiters);
        units = units == null ? List.of() : List.copyOf(units);
        holds = holds == null ? List.of() : List.copyOf(holds);
    }

    /** The same slot seen at change index {@code newVersion}. */
    public SlotInfo withVersion(long newVersion) {
        return new SlotInfo(id, name, description, owners, members, defaultTimeout, maxTimeout, createdAt, updatedAt,
                fence, newVersion, state, lock, waiting, waiters, capacity, units, lockDelay, holds, available);
    }

    /** A caller waiting in the slot's line; {@code unit} is the unit it asked for, or null for any. */
    public record Waiter(String owner, String principal, Instant since, Instant waitUntil, String unit) {
    }

    /** Whether someone holds the slot. */
    public boolean isHeld() {
        return lock != null;
    }
}
