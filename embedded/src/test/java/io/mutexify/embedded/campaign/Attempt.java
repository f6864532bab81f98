package io.mutexify.embedded.campaign;

import java.time.Instant;

/**
 * One send of an operation and what came back, with both ends timed on one monotonic clock
 * ({@link System#nanoTime()}). {@code status} 0 means no answer: a transport error, a timeout, or a
 * call the client dropped on purpose (a hedged first send).
 *
 * @param sentNanos  when the request left
 * @param doneNanos  when its answer (or failure) arrived
 * @param status     HTTP status, 0 if none
 * @param error      the JSON error code, or the failure's description when there was no answer
 * @param token      the lock token in a 200 lock body
 * @param fence      the fence in a 200 lock body
 * @param expireAt   the expiry in a 200 lock body
 * @param retryAfter whether the response carried {@code Retry-After}
 * @param poll       whether this was a {@code GET /api/v1/requests/{id}} for the operation's request
 */
public record Attempt(long sentNanos, long doneNanos, int status, String error, String token, Long fence,
                      Instant expireAt, boolean retryAfter, boolean poll) {

    /** A send that got no answer. */
    public static Attempt failed(long sentNanos, long doneNanos, String why) {
        return new Attempt(sentNanos, doneNanos, 0, why, null, null, null, false, false);
    }

    /**
     * Whether this is the key's answer rather than "not yet" or "try again": 202, 429, 5xx and
     * "unknown request" (a restarted server forgot an unanswered request) are not answers.
     */
    public boolean isFinal() {
        if (status == 0 || status == 202 || status == 429 || status >= 500) {
            return false;
        }
        return !(poll && status == 404 && "request_not_found".equals(error));
    }

    /** What must be the same in every answer to one key: status, error code, token, fence and expiry. */
    public String answer() {
        return status + (error == null ? "" : " " + error)
                + (token == null ? "" : " token=" + token + " fence=" + fence + " expireAt=" + expireAt);
    }
}
