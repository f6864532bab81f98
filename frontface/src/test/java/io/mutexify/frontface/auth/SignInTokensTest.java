package io.mutexify.frontface.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SignInTokensTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private static final byte[] KEY = new byte[32];

    private static SignInTokens at(Instant now, byte[] key) {
        return new SignInTokens(key, Duration.ofHours(12), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aTokenNamesItsPrincipalUntilItExpires() {
        SignInTokens.Issued issued = at(T0, KEY).issue("alice@example.com");

        assertThat(issued.token()).startsWith(SignInTokens.PREFIX);
        assertThat(issued.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(12)));
        assertThat(issued.toString()).doesNotContain(issued.token());
        assertThat(at(T0.plus(Duration.ofHours(11)), KEY).verify(issued.token())).contains("alice@example.com");
        assertThat(at(T0.plus(Duration.ofHours(12)), KEY).verify(issued.token())).isEmpty();
    }

    @Test
    void aTokenSignedWithAnotherKeyOrChangedIsRefused() {
        String token = at(T0, KEY).issue("alice@example.com").token();
        byte[] other = Arrays.copyOf(KEY, 32);
        other[0] = 1;

        assertThat(at(T0, other).verify(token)).isEmpty();
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"sub\":\"root@example.com\",\"iat\":" + T0.getEpochSecond() + ",\"exp\":" + (T0.getEpochSecond() + 60) + "}")
                        .getBytes(StandardCharsets.UTF_8));
        String forged = SignInTokens.PREFIX + payload + token.substring(token.lastIndexOf('.'));
        assertThat(at(T0, KEY).verify(forged)).isEmpty();
        assertThat(at(T0, KEY).verify(SignInTokens.PREFIX + "x")).isEmpty();
        assertThat(at(T0, KEY).verify(SignInTokens.PREFIX + "!!.??")).isEmpty();
    }

    @Test
    void aTokenCheckedBeforeStillExpiresOnTime() {
        Instant[] now = {T0};
        Clock moving = ((InstantSource) () -> now[0]).withZone(ZoneOffset.UTC);
        SignInTokens tokens = new SignInTokens(KEY, Duration.ofHours(12), moving);
        String token = tokens.issue("alice@example.com").token();

        assertThat(tokens.verify(token)).contains("alice@example.com");
        assertThat(tokens.verify(token)).as("remembered").contains("alice@example.com");
        now[0] = T0.plus(Duration.ofHours(12));
        assertThat(tokens.verify(token)).as("remembered, and expired all the same").isEmpty();
    }

    @Test
    void aTokenIssuedFarInTheFutureIsRefused() {
        String fromTheFuture = at(T0.plus(Duration.ofHours(1)), KEY).issue("alice@example.com").token();

        assertThat(at(T0, KEY).verify(fromTheFuture)).isEmpty();
    }
}
