package io.mutexify.frontface.limits;

/**
 * One principal's bucket at a moment: {@code tokens} left at {@code atNanos}. Immutable and pure:
 * {@link #take} answers the next bucket, or how long until a token is there.
 */
public record TokenBucket(double tokens, long atNanos) {
    /** The outcome of asking for one token: the bucket afterwards, and the wait if refused (0 if granted). */
    public record Take(TokenBucket bucket, long waitNanos) {
        public boolean granted() {
            return waitNanos == 0;
        }
    }

    public static TokenBucket full(int burst, long nowNanos) {
        return new TokenBucket(burst, nowNanos);
    }

    /** Refills at {@code perSecond} up to {@code burst} since {@link #atNanos}, then takes one token if there is one. */
    public Take take(long nowNanos, int perSecond, int burst) {
        long elapsed = Math.max(0, nowNanos - atNanos);
        double refilled = Math.min(burst, tokens + elapsed * (perSecond / 1e9));
        if (refilled >= 1) {
            return new Take(new TokenBucket(refilled - 1, nowNanos), 0);
        }
        long wait = (long) Math.ceil((1 - refilled) * 1e9 / perSecond);
        return new Take(new TokenBucket(refilled, nowNanos), Math.max(1, wait));
    }
}
