package io.mutexify.embedded.events;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/** Webhook URL helpers: validation, and names that identify a URL without revealing its secret parts. */
final class WebhookUrls {
    private WebhookUrls() {
    }

    static URI requireHttp(URI url) {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("a webhook URL must be absolute http or https with a host");
        }
        return url;
    }

    /** Scheme, host and port only: paths and queries of webhook URLs often are the credential. */
    static String redact(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "");
    }

    /**
     * The relay's cursor name for a URL: stable across restarts, distinct per URL, and safe to log;
     * a short SHA-256 of the full URL tells apart URLs on the same host.
     */
    static String subscriberName(URI url) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.toString().getBytes(StandardCharsets.UTF_8));
            return "webhook:" + redact(url) + "#" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
