package io.mutexify.embedded.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.model.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a bare socket, for requests {@code java.net.http} refuses to send (it validates
 * URIs and header values): the request line and headers are written byte for byte as given.
 * One request per connection ({@code Connection: close}); the response is read to the end.
 */
public final class RawHttp {
    private final URI base;

    public RawHttp(URI base) {
        this.base = base;
    }

    /** A response: status, headers (names lower-cased, first value kept) and the decoded body. */
    public record Res(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text(), e);
            }
        }
    }

    /**
     * Sends {@code method target HTTP/1.1} with the target's bytes as ISO-8859-1 (so any char up to
     * 0xFF goes out as that single byte), the extra {@code headers} (name, value pairs, also written
     * as raw bytes: a value may be UTF-8 encoded by the caller) and an optional body.
     */
    public Res send(String method, String target, byte[] body, String... headers) {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        write(req, method + " " + target + " HTTP/1.1\r\n");
        write(req, "Host: " + base.getHost() + ":" + base.getPort() + "\r\n");
        write(req, "Connection: close\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            write(req, headers[i] + ": " + headers[i + 1] + "\r\n");
        }
        if (body != null) {
            write(req, "Content-Type: application/json\r\n");
            write(req, "Content-Length: " + body.length + "\r\n");
        }
        write(req, "\r\n");
        if (body != null) {
            req.writeBytes(body);
        }
        return sendRaw(req.toByteArray());
    }

    /**
     * Sends {@code request} (request line, headers and body, exactly as given) and reads one response:
     * its head, then a body delimited by Content-Length, chunking, or the end of the stream. (The
     * server need not close the connection, e.g. after a refused CONNECT.)
     */
    public Res sendRaw(byte[] request) {
        return sendRaw(request, false);
    }

    /** As {@link #sendRaw(byte[])}; with {@code endInput} the socket's output is shut down after the request. */
    public Res sendRaw(byte[] request, boolean endInput) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            if (endInput) {
                s.shutdownOutput();
            }
            return read(s.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code POST|PUT|... target} with {@code body} sent as {@code Transfer-Encoding: chunked} in 8 KiB chunks. */
    public Res sendChunked(String method, String target, byte[] body) {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        write(req, method + " " + target + " HTTP/1.1\r\n");
        write(req, "Host: " + base.getHost() + ":" + base.getPort() + "\r\n");
        write(req, "Connection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int pos = 0; pos < body.length; pos += 8192) {
            int n = Math.min(8192, body.length - pos);
            write(req, Integer.toHexString(n) + "\r\n");
            req.write(body, pos, n);
            write(req, "\r\n");
        }
        write(req, "0\r\n\r\n");
        return sendRaw(req.toByteArray());
    }

    /** {@code s} as UTF-8 bytes, each byte carried by one char, for {@link #send}'s ISO-8859-1 request line. */
    public static String utf8Bytes(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Res read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before a complete response head: "
                        + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).trim().split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ", 3)[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        String te = headers.get("transfer-encoding");
        String length = headers.get("content-length");
        byte[] body;
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = dechunk(in);
        } else if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else {
            body = in.readAllBytes();
        }
        return new Res(status, headers, body);
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(size));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
