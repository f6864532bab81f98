package io.mutexify.frontface.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mutexify.frontface.ApiHandler;
import io.mutexify.frontface.keys.NoKeys;
import io.mutexify.model.settings.SettingsReader;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which sign-in is on for which settings: the secure default, and the combinations refused at start-up. */
class AccessConfigTest {
    private static Map<String, String> env(String... kv) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return env;
    }

    /** The local server's access; MUTEXIFY_HOST as it reads it (default loopback). */
    private static AccessConfig from(String... kv) {
        Map<String, String> env = env(kv);
        Map<String, String> declared = new LinkedHashMap<>(AccessConfig.SETTINGS);
        declared.putAll(AccessConfig.LOCAL_SETTINGS);
        return AccessConfig.local(new SettingsReader(env::get, declared), env.getOrDefault("MUTEXIFY_HOST", "127.0.0.1"));
    }

    private static AccessConfig cloud(String... kv) {
        return AccessConfig.cloud(new SettingsReader(env(kv)::get, AccessConfig.SETTINGS));
    }

    @Test
    void aCloudHostNeedsAGoogleClientAndNeverOpensUpOrTrustsADevSignIn() {
        assertThatThrownBy(() -> cloud()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MUTEXIFY_GOOGLE_CLIENT_IDS");
        AccessConfig a = cloud("MUTEXIFY_GOOGLE_CLIENT_IDS", "c.apps.googleusercontent.com", "MUTEXIFY_ADMINS", "Root@Example.com",
                "MUTEXIFY_RATE_LIMIT_PER_SECOND", "5", "MUTEXIFY_RATE_LIMIT_BURST", "7");
        assertThat(a.open()).isFalse();
        assertThat(a.devSignIn()).isFalse();
        assertThat(a.googleClientIds()).containsExactly("c.apps.googleusercontent.com");
        assertThat(a.admins()).containsExactly("root@example.com");
        assertThat(a.ratePerSecond()).isEqualTo(5);
        assertThat(a.rateBurst()).isEqualTo(7);
        // the local server's settings are not even read there
        assertThat(AccessConfig.SETTINGS).doesNotContainKeys("MUTEXIFY_AUTH", "MUTEXIFY_DEV_SIGNIN", "MUTEXIFY_SESSION_HOURS");
    }

    @Test
    void theCloudSignInSetupRefusesOpenAccessAndTheDevSignIn() {
        AccessConfig open = new AccessConfig(true, List.of(), URI.create("https://certs.example.com"), false, Duration.ZERO,
                List.of(), List.of(), 0, 1, List.of());
        AccessConfig dev = new AccessConfig(false, List.of(), URI.create("https://certs.example.com"), true, Duration.ofHours(1),
                List.of(), List.of(), 0, 1, List.of());
        for (AccessConfig a : List.of(open, dev)) {
            assertThatThrownBy(() -> SignInSetup.apply(ApiHandler.builder(), a, NoKeys.INSTANCE, Clock.systemUTC()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theSettingsReaderReadsBooleansInAnyCase() {
        SettingsReader r = new SettingsReader(env("A", "True", "B", "FALSE", "C", "yes")::get, Map.of("A", "", "B", "", "C", "false"));
        assertThat(r.bool("A")).isTrue();
        assertThat(r.bool("B")).isFalse();
        assertThatThrownBy(() -> r.bool("C")).hasMessageContaining("C must be true or false");
    }

    @Test
    void withNoSettingsOnLoopbackTheDevSignInIsOn() {
        AccessConfig a = from();
        assertThat(a.open()).isFalse();
        assertThat(a.devSignIn()).isTrue();
        assertThat(a.googleClientIds()).isEmpty();
        assertThat(a.ratePerSecond()).isEqualTo(1000);
        assertThat(a.rateBurst()).isEqualTo(2000);
        assertThat(a.corsOrigins()).isEmpty();
        assertThat(a.googleCertsUrl().toString()).isEqualTo("https://www.googleapis.com/oauth2/v1/certs");
    }

    @Test
    void onAnyOtherInterfaceNothingButKeysIsOnUnlessAskedFor() {
        AccessConfig a = from("MUTEXIFY_HOST", "0.0.0.0");
        assertThat(a.devSignIn()).isFalse();
        assertThat(a.anySignIn()).isFalse();

        assertThat(from("MUTEXIFY_HOST", "0.0.0.0", "MUTEXIFY_DEV_SIGNIN", "true").devSignIn()).isTrue();
        assertThat(from("MUTEXIFY_HOST", "0.0.0.0", "MUTEXIFY_GOOGLE_CLIENT_IDS", "a, b").googleClientIds()).containsExactly("a", "b");
    }

    @Test
    void googleSignInTurnsTheAutomaticDevSignInOff() {
        AccessConfig a = from("MUTEXIFY_GOOGLE_CLIENT_IDS", "client.apps.googleusercontent.com");
        assertThat(a.devSignIn()).isFalse();
        assertThat(a.anySignIn()).isTrue();
        assertThatThrownBy(() -> from("MUTEXIFY_GOOGLE_CLIENT_IDS", "c", "MUTEXIFY_DEV_SIGNIN", "true"))
                .hasMessageContaining("MUTEXIFY_DEV_SIGNIN");
    }

    @Test
    void openModeIsForLoopbackOnlyAndWithoutSignIn() {
        assertThat(from("MUTEXIFY_AUTH", "open").open()).isTrue();
        assertThat(from("MUTEXIFY_AUTH", "open").devSignIn()).isFalse();
        assertThat(from("MUTEXIFY_AUTH", "OPEN", "MUTEXIFY_HOST", "::1").open()).isTrue();
        assertThatThrownBy(() -> from("MUTEXIFY_AUTH", "open", "MUTEXIFY_HOST", "0.0.0.0")).hasMessageContaining("MUTEXIFY_AUTH");
        assertThatThrownBy(() -> from("MUTEXIFY_AUTH", "open", "MUTEXIFY_HOST", "mutexify.example.com"))
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> from("MUTEXIFY_AUTH", "open", "MUTEXIFY_GOOGLE_CLIENT_IDS", "c")).hasMessageContaining("MUTEXIFY_AUTH");
    }

    @Test
    void listsAreReadAndNormalized() {
        AccessConfig a = from("MUTEXIFY_ADMINS", "Root@Example.com, ops@example.com,", "MUTEXIFY_ALLOWED_DOMAINS", "Example.com",
                "MUTEXIFY_CORS_ORIGINS", "https://ui.example.com, http://localhost:5173");
        assertThat(a.admins()).containsExactly("root@example.com", "ops@example.com");
        assertThat(a.allowedDomains()).containsExactly("example.com");
        assertThat(a.corsOrigins()).containsExactly("https://ui.example.com", "http://localhost:5173");
    }

    @Test
    void badValuesFailWithTheVariablesName() {
        assertThatThrownBy(() -> from("MUTEXIFY_AUTH", "none")).hasMessageContaining("MUTEXIFY_AUTH");
        assertThatThrownBy(() -> from("MUTEXIFY_DEV_SIGNIN", "yes")).hasMessageContaining("MUTEXIFY_DEV_SIGNIN");
        assertThatThrownBy(() -> from("MUTEXIFY_RATE_LIMIT_PER_SECOND", "-1")).hasMessageContaining("MUTEXIFY_RATE_LIMIT_PER_SECOND");
        assertThatThrownBy(() -> from("MUTEXIFY_RATE_LIMIT_BURST", "0")).hasMessageContaining("MUTEXIFY_RATE_LIMIT_BURST");
        assertThatThrownBy(() -> from("MUTEXIFY_SESSION_HOURS", "0")).hasMessageContaining("MUTEXIFY_SESSION_HOURS");
        assertThatThrownBy(() -> from("MUTEXIFY_CORS_ORIGINS", "https://ui.example.com/app")).hasMessageContaining("MUTEXIFY_CORS_ORIGINS");
        assertThatThrownBy(() -> from("MUTEXIFY_GOOGLE_CERTS_URL", "ftp://x/")).hasMessageContaining("MUTEXIFY_GOOGLE_CERTS_URL");
    }

    @Test
    void loopbackMeansLiteralLoopbackAddresses() {
        assertThat(AccessConfig.isLoopback("127.0.0.1")).isTrue();
        assertThat(AccessConfig.isLoopback("127.1.2.3")).isTrue();
        assertThat(AccessConfig.isLoopback("::1")).isTrue();
        assertThat(AccessConfig.isLoopback("[::1]")).isTrue();
        assertThat(AccessConfig.isLoopback("localhost")).isTrue();
        assertThat(AccessConfig.isLoopback("0.0.0.0")).isFalse();
        assertThat(AccessConfig.isLoopback("::")).isFalse();
        assertThat(AccessConfig.isLoopback("192.168.1.10")).isFalse();
        assertThat(AccessConfig.isLoopback("localhost.example.com")).isFalse();
    }
}
