package io.mutexify.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Which failed attempts of a call are sent again, how often, and after what pause. Each retry is
 * allowed by one named {@link Rule}; a resend reuses the call's {@code Idempotency-Key}, so the
 * server answers it with the first attempt's outcome instead of acting twice.
 *
 * @param maxRetries retries after the first attempt; 0 sends each call once
 * @param backoff    the first retry's pause; it doubles per retry up to 5 s, with jitter, and a
 *                   {@code Retry-After} in the answer overrides it
 */
record RetryPolicy(int maxRetries, Duration backoff) {
    /** The client's defaults: 3 retries from 200 ms. */
    static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(200));
    /** One attempt only: the caller retries itself (a lease's renewal, within its deadline). */
    static final RetryPolicy NONE = new RetryPolicy(0, Duration.ofMillis(200));

    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long MAX_RETRY_AFTER_SECONDS = 60;

    /** Why an attempt may be sent again. */
    enum Rule {
        /** No connection was made, so nothing was sent: always safe. */
        NOT_CONNECTED,
        /** No answer came (timeout, dropped connection) though the request may have arrived: safe for an idempotent call only. */
        NO_ANSWER,
        /** The server no longer knows a request it accepted with 202: sent again under the same key. */
        PENDING_FORGOTTEN,
        /** 429: the server asks the caller to slow down; honours {@code Retry-After}. */
        THROTTLED,
        /** 503: the server is briefly unavailable; honours {@code Retry-After}. */
        UNAVAILABLE,
        /** 500, 502, 504: a server or gateway failure; the idempotency key makes the resend safe. */
        SERVER_ERROR
    }

    RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0");
        }
        if (backoff == null || backoff.isNegative() || backoff.isZero()) {
            throw new IllegalArgumentException("retryBackoff must be positive");
        }
    }

    RetryPolicy withMaxRetries(int retries) {
        return new RetryPolicy(retries, backoff);
    }

    RetryPolicy withBackoff(Duration pause) {
        return new RetryPolicy(maxRetries, pause);
    }

    /**
     * The rule that lets {@code call} be sent again after this attempt, or empty when its outcome is
     * final. {@code answer} is null when there was none: then {@code error} says why (null when the
     * server forgot a pending request).
     */
    static Optional<Rule> ruleFor(Transport.Call call, Transport.Response answer, IOException error) {
        if (answer != null) {
            return switch (answer.status()) {
                case 429 -> Optional.of(Rule.THROTTLED);
                case 503 -> Optional.of(Rule.UNAVAILABLE);
                case 500, 502, 504 -> call.idempotent() ? Optional.of(Rule.SERVER_ERROR) : Optional.empty();
                default -> Optional.empty();
            };
        }
        if (error == null) {
            return Optional.of(Rule.PENDING_FORGOTTEN);
        }
        if (error instanceof ConnectException || error instanceof HttpConnectTimeoutException) {
            return Optional.of(Rule.NOT_CONNECTED);
        }
        return call.idempotent() ? Optional.of(Rule.NO_ANSWER) : Optional.empty();
    }

    /** The pause before retry number {@code retry} (1 for the first), in nanoseconds. */
    long pauseBefore(int retry, Transport.Response answer) {
        if (answer != null) {
            Optional<String> after = answer.header("Retry-After");
            if (after.isPresent()) {
                try {
                    long s = Long.parseLong(after.get().trim());
                    return TimeUnit.SECONDS.toNanos(Math.max(0, Math.min(s, MAX_RETRY_AFTER_SECONDS)));
                } catch (NumberFormatException ignored) {
                    // an HTTP date: fall back to the backoff below
                }
            }
        }
        long base = backoff.toNanos() << Math.min(retry - 1, 16);
        long capped = Math.min(base, MAX_BACKOFF_NANOS);
        return (long) (capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    }
}
