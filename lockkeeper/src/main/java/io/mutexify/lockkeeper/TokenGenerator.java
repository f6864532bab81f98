package io.mutexify.lockkeeper;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;

/** Lock tokens: 128 random bits from a CSPRNG, URL-safe, so a token can neither be guessed nor collide. */
public final class TokenGenerator implements Supplier<String> {
    private final SecureRandom random = new SecureRandom();

    @Override
    public String get() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
