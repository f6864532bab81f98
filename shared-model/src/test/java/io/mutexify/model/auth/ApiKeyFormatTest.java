package io.mutexify.model.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ApiKeyFormatTest {
    private static byte[] bytes(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void aFormattedKeyParsesBackToItsIdAndSecret() {
        String key = ApiKeyFormat.format(bytes(8, 0xab), bytes(32, 0x01));

        assertThat(key).startsWith("mtx_abababababababab_0101");
        ApiKeyFormat.Parsed p = ApiKeyFormat.parse(key).orElseThrow();
        assertThat(p.id()).isEqualTo("abababababababab");
        assertThat(p.secret()).hasSize(64);
        assertThat(p.toString()).doesNotContain(p.secret());
    }

    @Test
    void anythingElseIsNotAKey() {
        String key = ApiKeyFormat.format(bytes(8, 1), bytes(32, 2));
        assertThat(ApiKeyFormat.parse(key + "0")).isEmpty();
        assertThat(ApiKeyFormat.parse(key.toUpperCase())).isEmpty();
        assertThat(ApiKeyFormat.parse("eyJhbGciOiJSUzI1NiJ9.e30.sig")).isEmpty();
        assertThat(ApiKeyFormat.looksLikeKey("eyJhbGciOiJSUzI1NiJ9.e30.sig")).isFalse();
        assertThatThrownBy(() -> ApiKeyFormat.format(bytes(4, 1), bytes(32, 2))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyTheRightSecretMatchesTheStoredHash() {
        String secret = "00".repeat(32);
        String stored = ApiKeyFormat.hash(secret);

        assertThat(stored).hasSize(64).isNotEqualTo(secret);
        assertThat(ApiKeyFormat.matches(stored, secret)).isTrue();
        assertThat(ApiKeyFormat.matches(stored, "01".repeat(32))).isFalse();
    }

    @Test
    void aKeyIsUsableUntilItExpiresOrIsRevoked() {
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        ApiKey forever = new ApiKey("id", "a@x", "ci", "h", t, null, null, null);
        ApiKey hour = new ApiKey("id", "a@x", "ci", "h", t, t.plusSeconds(3600), null, null);
        ApiKey revoked = new ApiKey("id", "a@x", "ci", "h", t, null, null, t.plusSeconds(1));

        assertThat(forever.isUsableAt(t.plusSeconds(1_000_000))).isTrue();
        assertThat(hour.isUsableAt(t.plusSeconds(3599))).isTrue();
        assertThat(hour.isUsableAt(t.plusSeconds(3600))).isFalse();
        assertThat(revoked.isUsableAt(t.plusSeconds(2))).isFalse();
    }
}
