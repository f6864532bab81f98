/**
 * The Mutexify Java client: locks from programs.
 *
 * <p>{@link io.mutexify.client.MutexifyClient} talks to the REST API v1.
 * {@link io.mutexify.client.MutexifyClient#acquire acquire} returns a
 * {@link io.mutexify.client.Lease} — token, fence, expiry — that renews itself, measures its own
 * safe deadline on the monotonic clock from when the request was sent, and reports its loss (a
 * {@link io.mutexify.client.LeaseListener}, {@link io.mutexify.client.Lease#isValid()}, and
 * {@link io.mutexify.client.Lease#ended()}) before that deadline.
 * {@link io.mutexify.client.MutexifyClient#withLock withLock} covers the common case.
 *
 * <p>Exceptions: {@link io.mutexify.client.MutexifyException} and its subtypes
 * {@link io.mutexify.client.LockHeldException} (409, names the holder),
 * {@link io.mutexify.client.AcquireTimeoutException} (not acquired within the wait),
 * {@link io.mutexify.client.LockLostException} (the lease was lost during {@code withLock}) and
 * {@link io.mutexify.client.NotFoundException} (404).
 *
 * <p>Dependencies: the JDK's {@code java.net.http.HttpClient} and Jackson (databind, with its {@code java.time} module) only.
 */
package io.mutexify.client;
