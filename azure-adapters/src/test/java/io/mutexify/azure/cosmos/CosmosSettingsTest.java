package io.mutexify.azure.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CosmosSettingsTest {
    private static final String ENDPOINT = "https://acct.documents.azure.com:443/";

    @Test
    void defaultsNameTheDatabaseAndContainerAndWithoutAKeyUseTheManagedIdentity() {
        CosmosSettings s = CosmosSettings.fromEnvironment(Map.of("COSMOS_ENDPOINT", ENDPOINT));

        assertThat(s.database()).isEqualTo("mutexify");
        assertThat(s.container()).isEqualTo("slots");
        assertThat(s.usesKey()).isFalse();
        assertThat(s.key()).isNull();
        assertThat(s.isLocal()).isFalse();
    }

    @Test
    void everySettingIsReadAndBlankMeansUnset() {
        CosmosSettings s = CosmosSettings.fromEnvironment(Map.of("COSMOS_ENDPOINT", " https://127.0.0.1:8081 ",
                "COSMOS_KEY", "c2VjcmV0", "COSMOS_DATABASE", "locks", "COSMOS_CONTAINER", " "));

        assertThat(s.endpoint()).isEqualTo("https://127.0.0.1:8081");
        assertThat(s.usesKey()).isTrue();
        assertThat(s.database()).isEqualTo("locks");
        assertThat(s.container()).isEqualTo("slots");
        assertThat(s.isLocal()).isTrue();
        assertThat(CosmosSettings.fromEnvironment(Map.of("COSMOS_ENDPOINT", ENDPOINT, "COSMOS_KEY", "  ")).usesKey())
                .isFalse();
    }

    @Test
    void theSettingNamesListEveryVariableRead() {
        assertThat(CosmosSettings.SETTING_NAMES)
                .containsExactly("COSMOS_ENDPOINT", "COSMOS_KEY", "COSMOS_DATABASE", "COSMOS_CONTAINER");
    }

    @Test
    void aMissingOrBadValueIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> CosmosSettings.fromEnvironment(Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("COSMOS_ENDPOINT");
        assertThatThrownBy(() -> CosmosSettings.fromEnvironment(Map.of("COSMOS_ENDPOINT", "acct.documents.azure.com")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("COSMOS_ENDPOINT");
        assertThatThrownBy(() -> CosmosSettings.fromEnvironment(Map.of("COSMOS_ENDPOINT", ENDPOINT,
                "COSMOS_DATABASE", "a/b"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("COSMOS_DATABASE");
        assertThatThrownBy(() -> CosmosSettings.fromEnvironment(Map.of("COSMOS_ENDPOINT", ENDPOINT,
                "COSMOS_CONTAINER", "x#y"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("COSMOS_CONTAINER");
    }

    @Test
    void theKeyNeverShowsInToString() {
        CosmosSettings s = new CosmosSettings(ENDPOINT, "super-secret-key==", "db", "c");

        assertThat(s.toString()).doesNotContain("super-secret-key").contains("auth=key", "db", ENDPOINT);
        assertThat(s.withDatabase("other").toString()).doesNotContain("super-secret-key").contains("other");
    }
}
