package io.mutexify.azure.functions.lockkeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Lockkeeper's policy settings parse as the embedded server's do (one SettingsReader): booleans in any case. */
class LockkeeperSettingsTest {
    private static LockkeeperSettings read(String... kv) {
        Map<String, String> env = new HashMap<>(Map.of("COSMOS_ENDPOINT", "https://127.0.0.1:1/",
                "SERVICEBUS_CONNECTION", "Endpoint=sb://nowhere.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=b"));
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return LockkeeperSettings.fromEnvironment(env);
    }

    @Test
    void autoRegisterTakesTrueAndFalseInAnyCase() {
        assertThat(read().policy().autoRegister()).isTrue();
        assertThat(read("MUTEXIFY_AUTO_REGISTER", "True").policy().autoRegister()).isTrue();
        assertThat(read("MUTEXIFY_AUTO_REGISTER", "FALSE").policy().autoRegister()).isFalse();
        assertThatThrownBy(() -> read("MUTEXIFY_AUTO_REGISTER", "yes")).hasMessageContaining("MUTEXIFY_AUTO_REGISTER");
    }

    @Test
    void timeoutsAreCheckedAndNamed() {
        assertThat(read("MUTEXIFY_DEFAULT_TIMEOUT", "30", "MUTEXIFY_MAX_TIMEOUT", "600").policy().maxTimeout()).isEqualTo(600);
        assertThatThrownBy(() -> read("MUTEXIFY_DEFAULT_TIMEOUT", "700", "MUTEXIFY_MAX_TIMEOUT", "600"))
                .hasMessageContaining("MUTEXIFY_DEFAULT_TIMEOUT");
        assertThatThrownBy(() -> read("MUTEXIFY_REPLY_RETENTION_HOURS", "0")).hasMessageContaining("MUTEXIFY_REPLY_RETENTION_HOURS");
    }
}
