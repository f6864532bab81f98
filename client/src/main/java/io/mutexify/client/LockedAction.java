package io.mutexify.client;

/**
 * Work done while holding a lock, for {@link MutexifyClient#withLock}. It gets the {@link Lease},
 * so it can pass {@link Lease#fence()} to the resource it protects and check {@link Lease#isValid()}
 * between steps.
 *
 * @param <T> the result
 * @param <E> the checked exception the work may throw ({@code RuntimeException} if none)
 */
@FunctionalInterface
public interface LockedAction<T, E extends Exception> {
    /**
     * Does the work.
     *
     * @param lease the lease held while it runs
     * @return the result {@code withLock} returns
     * @throws E if the work fails; the lock is released all the same
     */
    T run(Lease lease) throws E;
}
