package io.mutexify.frontface.dispatch;

import io.mutexify.frontface.http.ApiException;
import io.mutexify.model.command.FreshIds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.security.SecureRandom;

/**
 * Request ids. With an {@code Idempotency-Key} the id is derived from the caller, the call and the
 * key, so a retry maps to the same command and one caller's key never collides with another's;
 * without one, a fresh random id that starts with the time.
 */
public final class RequestIds {
    public static final int MAX_KEY_LENGTH = 255;
    /** The prefix of ids made from an Idempotency-Key (the others are random, {@link FreshIds#PREFIX}). */
    private static final String KEYED = "k-";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private RequestIds() {
    }

    public static String forCall(String idempotencyKey, String principal, String method, String path) {
        if (idempotencyKey == null) {
            return fresh();
        }
        if (idempotencyKey.isEmpty() || idempotencyKey.length() > MAX_KEY_LENGTH
                || !idempotencyKey.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ApiException.badRequest("invalid_idempotency_key",
                    "Idempotency-Key must be 1-" + MAX_KEY_LENGTH + " visible ASCII characters");
        }
        String material = principal + "\n" + method + " " + path + "\n" + idempotencyKey;
        return KEYED + B64.encodeToString(sha256(material));
    }

    /**
     * A random id that starts with the time: replies are stored under their id, and ids in time
     * order go to the end of that index instead of a random page of it (fewer pages written per
     * commit). The 120 random bits after it keep it unguessable.
     */
    private static String fresh() {
        byte[] random = new byte[15];
        RANDOM.nextBytes(random);
        return FreshIds.PREFIX + Long.toHexString(System.currentTimeMillis()) + "-" + B64.encodeToString(random);
    }

    /** Whether {@code id} was made from an Idempotency-Key, so a reply may already be stored under it. */
    public static boolean isKeyed(String id) {
        return id != null && id.startsWith(KEYED);
    }

    /** Whether {@code id} has the shape of an id made here, before it is looked up anywhere. */
    public static boolean isWellFormed(String id) {
        return id != null && id.length() <= 64 && id.matches("[rk]-[A-Za-z0-9_-]+");
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
