package io.mutexify.azure.servicebus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Service Bus message ids are at most 128 characters; longer request ids (timer ids) are hashed. */
final class MessageIds {
    static final int MAX = 128;

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
