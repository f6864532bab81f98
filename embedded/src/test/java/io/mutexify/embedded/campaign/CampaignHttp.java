package io.mutexify.embedded.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.model.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The clients' HTTP: every call becomes an {@link Attempt}, answer or not; it never throws for
 * what a network or a dead server does. Also the hedge's first send, on a bare socket the client
 * can drop whenever it likes, and whatever answer that socket already holds when it is dropped.
 */
final class CampaignHttp {
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length:\\s*(\\d+)");
    private final URI base;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();

    CampaignHttp(URI base) {
        this.base = base;
    }

    /** Sends one call; {@code key} (may be null) goes as {@code Idempotency-Key}. */
    Attempt send(String method, String path, String body, String key, Duration timeout, boolean poll) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        long sent = System.nanoTime();
        try {
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return parse(sent, System.nanoTime(), r, poll);
        } catch (IOException e) {
            return Attempt.failed(sent, System.nanoTime(), e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Attempt.failed(sent, System.nanoTime(), "interrupted");
        }
    }

    /**
     * Writes a POST on a fresh connection and leaves it open, unread: the hedge's first send,
     * which the client later drops by closing the socket. Null if the server was not reachable.
     */
    Socket sendAndLeaveOpen(String path, String body, String key) {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 1000);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nContent-Type: application/json\r\nIdempotency-Key: " + key
                    + "\r\nContent-Length: " + bytes.length + "\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            return s;
        } catch (IOException e) {
            closeQuietly(s);
            return null;
        }
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /**
     * The answer already waiting on a hedge's connection, read without blocking for long; null if
     * none has arrived (or only part of one).
     */
    static Attempt answerWaiting(Socket s, long sent) {
        try {
            InputStream in = s.getInputStream();
            if (in.available() == 0) {
                return null;
            }
            s.setSoTimeout(300);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; !complete(got.toByteArray()) && (n = readSome(in, buf)) > 0; ) {
                got.write(buf, 0, n);
            }
            byte[] raw = got.toByteArray();
            return complete(raw) ? fromRaw(raw, sent) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static int readSome(InputStream in, byte[] buf) throws IOException {
        try {
            return in.read(buf);
        } catch (SocketTimeoutException e) {
            return -1;
        }
    }

    /** Whether {@code raw} holds a whole response: its head and a body of its Content-Length. */
    private static boolean complete(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        Matcher length = CONTENT_LENGTH.matcher(text.substring(0, end));
        return length.find() && raw.length - end - 4 >= Integer.parseInt(length.group(1));
    }

    private static Attempt fromRaw(byte[] raw, long sent) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String head = text.substring(0, end);
        int status = Integer.parseInt(head.substring(9, 12));
        boolean retryAfter = head.toLowerCase(Locale.ROOT).contains("\r\nretry-after:");
        byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
        return attempt(sent, System.nanoTime(), status, retryAfter, body, false);
    }

    private static Attempt parse(long sent, long done, HttpResponse<byte[]> r, boolean poll) {
        return attempt(sent, done, r.statusCode(), r.headers().firstValue("Retry-After").isPresent(), r.body(), poll);
    }

    private static Attempt attempt(long sent, long done, int status, boolean retryAfter, byte[] body, boolean poll) {
        JsonNode json = null;
        try {
            json = body.length == 0 ? null : Json.mapper().readTree(body);
        } catch (IOException notJson) {
            // judged by status alone
        }
        String error = json == null || !json.hasNonNull("error") ? null : json.get("error").asText();
        String token = null;
        Long fence = null;
        Instant expireAt = null;
        if (json != null && status == 200 && json.hasNonNull("token")) {
            token = json.get("token").asText();
            fence = json.get("fence").asLong();
            expireAt = Instant.parse(json.get("expireAt").asText());
        }
        return new Attempt(sent, done, status, error, token, fence, expireAt, retryAfter, poll);
    }
}
