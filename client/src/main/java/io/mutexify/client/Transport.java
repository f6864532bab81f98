package io.mutexify.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One logical API call over HTTP: retries (transport errors, 5xx, 429, 503 with Retry-After) that
 * reuse the call's {@code Idempotency-Key}, and 202 answers followed to their final reply. Records
 * when the call's first attempt was sent, which is what a lease's deadline is measured from.
 */
final class Transport {
    private static final String USER_AGENT = "mutexify-java-client/0.1";
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long MAX_POLL_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The longest one poll of a pending request is held by the server. */
    private static final Duration LONG_POLL = Duration.ofSeconds(20);

    private final HttpClient http;
    private final String base;
    private final Supplier<String> bearer;
    private final Duration requestTimeout;
    private final int maxRetries;
    private final Duration retryBackoff;

    Transport(HttpClient http, URI base, Supplier<String> bearer, Duration requestTimeout, int maxRetries, Duration retryBackoff) {
        this.http = http;
        String b = base.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.bearer = bearer;
        this.requestTimeout = requestTimeout;
        this.maxRetries = maxRetries;
        this.retryBackoff = retryBackoff;
    }

    /** An answer, with the moment ({@link System#nanoTime()}) the call's first attempt was sent. */
    record Response(int status, HttpHeaders headers, byte[] body, long firstSentNanos) {
        JsonNode json() {
            return Wire.parse(body);
        }

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        String errorCode() {
            JsonNode e = json().get("error");
            return e == null ? null : e.asText();
        }
    }

    /** What to send: a method, a path under the base URL, an optional JSON body and idempotency key. */
    record Call(String method, String path, JsonNode body, String idempotencyKey) {
        static Call get(String path) {
            return new Call("GET", path, null, null);
        }
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    int maxRetries() {
        return maxRetries;
    }

    /** {@link #call(Call, Duration, int, long, boolean)} with the client's retries and no deadline. */
    Response call(Call call, Duration attemptTimeout) {
        return call(call, attemptTimeout, maxRetries, 0, false);
    }

    /**
     * Sends {@code call}, retrying up to {@code retries} times with the same idempotency key, and
     * follows a 202 to its final answer. With {@code bounded}, gives up at {@code deadlineNanos}.
     * Returns any final answer, error statuses included; throws only when there was none.
     */
    Response call(Call call, Duration attemptTimeout, int retries, long deadlineNanos, boolean bounded) {
        byte[] body = null;
        if (call.body() != null) {
            try {
                body = Wire.MAPPER.writeValueAsBytes(call.body());
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot write the request body", e);
            }
        }
        long firstSent = 0;
        boolean sent = false;
        IOException lastError = null;
        Response last = null;
        for (int attempt = 0; ; attempt++) {
            long now = System.nanoTime();
            if (bounded && deadlineNanos - now <= 0) {
                throw noAnswer(call, lastError, last, true);
            }
            Duration timeout = bounded ? min(attemptTimeout, deadlineNanos - now) : attemptTimeout;
            if (!sent) {
                firstSent = now;
                sent = true;
            }
            Response r = null;
            try {
                r = once(call.method(), call.path(), body, call.idempotencyKey(), timeout);
                if (r.status() == 202) {
                    r = followPending(r, call, attemptTimeout, deadlineNanos, bounded);
                }
            } catch (IOException e) {
                lastError = e;
            }
            if (r != null && !retriable(r.status())) {
                return new Response(r.status(), r.headers(), r.body(), firstSent);
            }
            if (r != null) {
                last = r;
            }
            if (attempt >= retries) {
                if (r != null) {
                    return new Response(r.status(), r.headers(), r.body(), firstSent);
                }
                throw noAnswer(call, lastError, last, false);
            }
            long pause = pauseBefore(attempt + 1, r);
            if (bounded) {
                pause = Math.min(pause, Math.max(0, deadlineNanos - System.nanoTime()));
            }
            sleep(pause);
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
    private Response followPending(Response accepted, Call call, Duration attemptTimeout, long deadlineNanos, boolean bounded) {
        String location = accepted.header("Location").orElseGet(() -> {
            JsonNode l = accepted.json().get("location");
            return l == null ? null : l.asText();
        });
        if (location == null || !location.startsWith("/")) {
            throw new MutexifyException(202, "pending", "the server accepted " + call.method() + " " + redact(call.path())
                    + " without saying where to find the answer");
        }
        long end = System.nanoTime() + attemptTimeout.toNanos();
        if (bounded && deadlineNanos - end < 0) {
            end = deadlineNanos;
        }
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
            if (r.status() == 404 && "request_not_found".equals(r.errorCode())) {
                return null;
            }
            return r;
        }
    }

    private static boolean retriable(int status) {
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    private long pauseBefore(int retry, Response r) {
        if (r != null) {
            Optional<String> after = r.header("Retry-After");
            if (after.isPresent()) {
                try {
                    long s = Long.parseLong(after.get().trim());
                    return TimeUnit.SECONDS.toNanos(Math.max(0, Math.min(s, 60)));
                } catch (NumberFormatException ignored) {
                    // an HTTP date: fall back to the backoff below
                }
            }
        }
        long base = retryBackoff.toNanos() << Math.min(retry - 1, 16);
        long capped = Math.min(base, MAX_BACKOFF_NANOS);
        return (long) (capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
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
        JsonNode body = r.json();
        String code = body.path("error").asText(null);
        String message = body.path("message").asText(null);
        if (message == null) {
            message = "the server answered " + r.status();
        }
        if (r.status() == 409 && "locked".equals(code)) {
            return new LockHeldException(slot, message, Wire.lock(body.get("lock")));
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
