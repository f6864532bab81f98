package io.mutexify.model.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape of an API key, {@code mtx_<id>_<secret>}: a recognizable prefix (so a key is never
 * mistaken for a JWT, and secret scanners can spot a leaked one), the key's id to look it up by,
 * and a 256-bit secret, all lower-case hex. Only {@link #hash} of the secret is ever stored.
 */
public final class ApiKeyFormat {
    public static final String PREFIX = "mtx_";
    /** 64-bit ids: enough to never collide among one service's keys. */
    public static final int ID_BYTES = 8;
    public static final int SECRET_BYTES = 32;
    private static final Pattern SHAPE = Pattern.compile(
            "mtx_([0-9a-f]{" + 2 * ID_BYTES + "})_([0-9a-f]{" + 2 * SECRET_BYTES + "})");
    private static final HexFormat HEX = HexFormat.of();

    private ApiKeyFormat() {
    }

    /** A key's two parts. */
    public record Parsed(String id, String secret) {
        @Override
        public String toString() {
            return "Parsed[id=" + id + ", secret=***]"; // a stray log line must not print the secret
        }
    }

    /** The key a user is shown once, from random {@code id} and {@code secret} bytes. */
    public static String format(byte[] id, byte[] secret) {
        if (id.length != ID_BYTES || secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("an API key has an " + ID_BYTES + "-byte id and a " + SECRET_BYTES + "-byte secret");
        }
        return PREFIX + HEX.formatHex(id) + "_" + HEX.formatHex(secret);
    }

    /** Whether {@code token} claims to be an API key (it may still be malformed). */
    public static boolean looksLikeKey(String token) {
        return token.startsWith(PREFIX);
    }

    public static Optional<Parsed> parse(String key) {
        Matcher m = SHAPE.matcher(key);
        return m.matches() ? Optional.of(new Parsed(m.group(1), m.group(2))) : Optional.empty();
    }

    /** The stored form of a secret: SHA-256, hex. A fast hash is enough for 256 random bits. */
    public static String hash(String secret) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** Whether {@code secret} hashes to {@code storedHash}, compared in constant time. */
    public static boolean matches(String storedHash, String secret) {
        return MessageDigest.isEqual(storedHash.getBytes(StandardCharsets.US_ASCII),
                hash(secret).getBytes(StandardCharsets.US_ASCII));
    }
}
