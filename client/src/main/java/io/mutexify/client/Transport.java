package io.mutexify.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One logical API call over HTTP: retries as a {@link RetryPolicy} allows, reusing the call's
 * {@code Idempotency-Key}, and 202 answers followed to their final reply. Records
 * when the call's first attempt was sent, which is what a lease's deadline is measured from.
 */
final class Transport {
    private static final String USER_AGENT = "mutexify-java-client/0.1";
    private static final long MAX_POLL_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The longest one poll of a pending request is held by the server. */
    private static final Duration LONG_POLL = Duration.ofSeconds(20);

    private final HttpClient http;
    private final String base;
    private final Supplier<String> bearer;
    private final Duration requestTimeout;
    private final RetryPolicy retries;

    Transport(HttpClient http, URI base, Supplier<String> bearer, Duration requestTimeout, RetryPolicy retries) {
        this.http = http;
        String b = base.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.bearer = bearer;
        this.requestTimeout = requestTimeout;
        this.retries = retries;
    }

    /** An answer, with the moment ({@link System#nanoTime()}) the call's first attempt was sent. */
    record Response(int status, HttpHeaders headers, byte[] body, long firstSentNanos) {
        /** The body as a {@code type}, or null when it is empty or not that shape. */
        <T> T as(Class<T> type) {
            return Wire.read(body, type);
        }

        /** A success's body as a {@code type}; a body that is not one is the server's fault, not the caller's. */
        <T> T read(Class<T> type) {
            T value = as(type);
            if (value == null) {
                throw new MutexifyException(status, "bad_answer", "the server answered " + status + " without a "
                        + type.getSimpleName());
            }
            return value;
        }

        Wire.ErrorBody error() {
            Wire.ErrorBody e = as(Wire.ErrorBody.class);
            return e == null ? Wire.ErrorBody.NONE : e;
        }

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        Response sentAt(long nanos) {
            return new Response(status, headers, body, nanos);
        }
    }

    /** What to send: a method, a path under the base URL, an optional body (a record) and idempotency key. */
    record Call(String method, String path, Object body, String idempotencyKey) {
        static Call get(String path) {
            return new Call("GET", path, null, null);
        }

        /** Whether sending it twice does no more than sending it once: a read, or a call the server deduplicates by its key. */
        boolean idempotent() {
            return method.equals("GET") || idempotencyKey != null;
        }
    }

    /** A fresh idempotency key for one logical call. */
    static String newKey() {
        return "mx-" + UUID.randomUUID();
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    /** {@link #call(Call, Duration, RetryPolicy, Deadline)} with the client's retry policy and no deadline. */
    Response call(Call call, Duration attemptTimeout) {
        return call(call, attemptTimeout, retries, Deadline.NONE);
    }

    /**
     * Sends {@code call}, sending it again as {@code policy}'s rules allow (with the same idempotency
     * key), and follows a 202 to its final answer; gives up at {@code deadline}. Returns any final
     * answer, error statuses included; throws only when there was none.
     */
    Response call(Call call, Duration attemptTimeout, RetryPolicy policy, Deadline deadline) {
        byte[] body = call.body() == null ? null : Wire.write(call.body());
        long firstSent = 0;
        IOException lastError = null;
        Response last = null;
        for (int attempt = 0; ; attempt++) {
            long now = System.nanoTime();
            if (deadline.passed(now)) {
                throw noAnswer(call, lastError, last, true);
            }
            if (attempt == 0) {
                firstSent = now;
            }
            Response r = null;
            IOException error = null;
            try {
                r = once(call.method(), call.path(), body, call.idempotencyKey(), deadline.cap(attemptTimeout, now));
                if (r.status() == 202) {
                    r = followPending(r, call, attemptTimeout, deadline);
                }
            } catch (IOException e) {
                error = e;
                lastError = e;
            }
            Optional<RetryPolicy.Rule> rule = RetryPolicy.ruleFor(call, r, error);
            if (r != null) {
                last = r;
                if (rule.isEmpty() || attempt >= policy.maxRetries()) {
                    return r.sentAt(firstSent);
                }
            } else if (rule.isEmpty() || attempt >= policy.maxRetries()) {
                throw noAnswer(call, lastError, last, false);
            }
            sleep(deadline.capPause(policy.pauseBefore(attempt + 1, r), System.nanoTime()));
        }
    }

    /** One request, one response: no retries, no 202 handling. */
    Response once(String method, String path, byte[] body, String key, Duration timeout) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(1) : timeout)
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        if (bearer != null) {
            String credential = bearer.get();
            if (credential != null && !credential.isEmpty()) {
                b.header("Authorization", "Bearer " + credential);
            }
        }
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.headers(), r.body(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MutexifyException(0, "interrupted", "interrupted while calling " + method + " " + redact(path), e);
        }
    }

    /**
     * Polls the {@code Location} of a 202 until the answer is final. Returns null if the server no
     * longer knows the request (the caller sends it again, with the same key).
     */
    private Response followPending(Response accepted, Call call, Duration attemptTimeout, Deadline deadline) {
        String location = accepted.header("Location").orElseGet(() -> {
            Wire.Accepted a = accepted.as(Wire.Accepted.class);
            return a == null ? null : a.location();
        });
        if (location == null || !location.startsWith("/")) {
            throw new MutexifyException(202, "pending", "the server accepted " + call.method() + " " + redact(call.path())
                    + " without saying where to find the answer");
        }
        long end = deadline.earlier(System.nanoTime() + attemptTimeout.toNanos());
        long interval = TimeUnit.MILLISECONDS.toNanos(50);
        // Long-poll the request: the server answers as soon as the reply is there. Each poll also
        // keeps a long wait in line (one not polled for 30 s leaves it).
        Duration pollWait = min(LONG_POLL, Math.max(TimeUnit.SECONDS.toNanos(1), requestTimeout.toNanos() / 2));
        String polled = location + (location.contains("?") ? "&" : "?") + "wait=" + pollWait.toMillis() + "ms";
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new MutexifyException(202, "pending", "no answer yet to " + call.method() + " " + redact(call.path())
                        + "; ask " + location + " later");
            }
            sleep(Math.min(interval, left));
            interval = Math.min(interval * 2, MAX_POLL_INTERVAL_NANOS);
            Response r;
            try {
                long leftNow = Math.max(1, end - System.nanoTime());
                String target = leftNow > pollWait.toNanos() ? polled : location;
                r = once("GET", target, null, null, min(requestTimeout.plus(pollWait), leftNow));
            } catch (IOException e) {
                continue;
            }
            if (r.status() == 202) {
                continue;
            }
            if (r.status() == 404 && "request_not_found".equals(r.error().error())) {
                return null;
            }
            return r;
        }
    }

    private MutexifyException noAnswer(Call call, IOException error, Response last, boolean deadline) {
        String what = call.method() + " " + redact(call.path());
        if (last != null) {
            return errorFor(last, null);
        }
        if (error instanceof HttpTimeoutException || (deadline && error == null)) {
            return new MutexifyException(0, "timeout", "no answer in time to " + what, error);
        }
        return new MutexifyException(0, "unreachable", "could not reach " + base + " for " + what
                + (error == null ? "" : " (" + error.getClass().getSimpleName()
                        + (error.getMessage() == null ? "" : ": " + error.getMessage()) + ")"), error);
    }

    /** The exception for an error answer: 409 locked → {@link LockHeldException}, 404 → {@link NotFoundException}. */
    static MutexifyException errorFor(Response r, String slot) {
        Wire.ErrorBody body = r.error();
        String code = body.error();
        String message = body.message();
        if (message == null) {
            message = "the server answered " + r.status();
        }
        if (r.status() == 409 && "locked".equals(code)) {
            return new LockHeldException(slot, message, body.lock());
        }
        if (r.status() == 404) {
            return new NotFoundException(code == null ? "not_found" : code, message);
        }
        return new MutexifyException(r.status(), code == null ? "http_" + r.status() : code, message);
    }

    /** A lock path carries the token: never put it in a message. */
    static String redact(String path) {
        if (path.startsWith("/api/v1/locks/")) {
            String[] s = path.split("/", -1);
            if (s.length >= 6) {
                return "/api/v1/locks/" + s[4] + "/***";
            }
        }
        return path;
    }

    private static Duration min(Duration d, long nanos) {
        return d.toNanos() <= nanos ? d : Duration.ofNanos(nanos);
    }

    static void sleep(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MutexifyException(0, "interrupted", "interrupted while waiting to retry", e);
        }
    }
}
