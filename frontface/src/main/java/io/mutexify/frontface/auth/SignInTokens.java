package io.mutexify.frontface.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mutexify.model.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens of the dev sign-in: {@code mtxs.<payload>.<signature>}, the payload a base64url
 * JSON {@code {sub, iat, exp}} and the signature its HMAC-SHA256 under a server-held key. They
 * cannot be revoked one by one; they expire, and a new key invalidates them all.
 */
public final class SignInTokens {
    public static final String PREFIX = "mtxs.";
    /** A token "issued" further ahead than this was not made by this server's clock. */
    private static final Duration FUTURE_SKEW = Duration.ofMinutes(5);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Duration lifetime;
    private final Clock clock;
    private final ThreadLocal<Mac> macs;
    /**
     * Tokens whose signature and claims were checked, so a busy caller costs no HMAC and no JSON per
     * call. Safe to keep: a session token cannot be revoked alone (only a new key ends them all, and
     * that is a new instance); its expiry is still checked on every call.
     */
    private final Cache<String, Verified> verified = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(10)).executor(Runnable::run).build();

    /** What a checked token says: who, and until when (epoch seconds). */
    private record Verified(String sub, long exp) {
        @Override
        public String toString() {
            return "Verified[sub=" + sub + "]";
        }
    }

    public SignInTokens(byte[] key, Duration lifetime, Clock clock) {
        if (key.length < 32) {
            throw new IllegalArgumentException("a sign-in key must have at least 256 bits");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.lifetime = lifetime;
        this.clock = clock;
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** A token and when it stops working. */
    public record Issued(String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "Issued[token=***, expiresAt=" + expiresAt + "]";
        }
    }

    public Issued issue(String principal) {
        Instant now = clock.instant();
        Instant exp = now.plus(lifetime);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", principal);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", exp.getEpochSecond());
        String signed = PREFIX + B64.encodeToString(Json.writeBytes(claims));
        return new Issued(signed + "." + B64.encodeToString(sign(signed)), Instant.ofEpochSecond(exp.getEpochSecond()));
    }

    /** The principal of a token this server signed that has not expired; empty otherwise. */
    public Optional<String> verify(String token) {
        Verified known = verified.getIfPresent(token);
        if (known != null) {
            // Checked signature, remembered: only the expiry can have changed since.
            return clock.instant().getEpochSecond() < known.exp() ? Optional.of(known.sub()) : Optional.empty();
        }
        Optional<Verified> checked = check(token);
        checked.ifPresent(v -> verified.put(token, v));
        return checked.map(Verified::sub);
    }

    private Optional<Verified> check(String token) {
        if (!token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int dot = token.lastIndexOf('.');
        if (dot <= PREFIX.length()) {
            return Optional.empty();
        }
        String signed = token.substring(0, dot);
        try {
            byte[] given = B64D.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(given, sign(signed))) {
                return Optional.empty();
            }
            JsonNode claims = Json.mapper().readTree(B64D.decode(signed.substring(PREFIX.length())));
            long now = clock.instant().getEpochSecond();
            if (!claims.path("sub").isTextual() || !claims.path("exp").canConvertToLong() || !claims.path("iat").canConvertToLong()
                    || now >= claims.path("exp").asLong() || claims.path("iat").asLong() > now + FUTURE_SKEW.toSeconds()) {
                return Optional.empty();
            }
            return Optional.of(new Verified(claims.path("sub").asText(), claims.path("exp").asLong()));
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty(); // bad base64 or JSON: not one of ours
        }
    }

    private byte[] sign(String signed) {
        return macs.get().doFinal(signed.getBytes(StandardCharsets.US_ASCII));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
