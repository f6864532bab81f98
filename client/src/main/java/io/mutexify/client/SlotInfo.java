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
        List<Waiter> waiters) {

    /** Copies the lists; null becomes empty. */
    public SlotInfo {
        owners = owners == null ? List.of() : List.copyOf(owners);
        members = members == null ? List.of() : List.copyOf(members);
        waiters = waiters == null ? List.of() : List.copyOf(waiters);
    }

    /** A caller waiting in the slot's line. */
    public record Waiter(String owner, String principal, Instant since, Instant waitUntil) {
    }

    /** Whether someone holds the slot. */
    public boolean isHeld() {
        return lock != null;
    }
}
