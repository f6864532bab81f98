package io.mutexify.azure.servicebus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.UUID;

/** Service Bus message ids are at most 128 characters; longer request ids (timer ids) are hashed. */
final class MessageIds {
    static final int MAX = 128;
    private static final int SUFFIX = 37;

    /** A message id no other send uses, still readable as the request's: {@code <request id>/<random>}. */
    static String perSend(String requestId) {
        String base = requestId.length() + SUFFIX <= MAX ? requestId : of(requestId);
        return base.length() + SUFFIX <= MAX ? base + "/" + UUID.randomUUID() : UUID.randomUUID().toString();
    }

    private MessageIds() {
    }

    static String of(String requestId) {
        if (requestId.length() <= MAX) {
            return requestId;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(requestId.getBytes(StandardCharsets.UTF_8));
            return "h-" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
