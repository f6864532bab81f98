package io.mutexify.azure.functions.frontface;

import static io.mutexify.azure.settings.LocalSettingsExample.EXAMPLE;
import static io.mutexify.azure.settings.LocalSettingsExample.TABLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.azure.functions.lockkeeper.LockkeeperSettings;
import io.mutexify.azure.settings.LocalSettingsExample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The top-level local.settings.json.example lists exactly the settings the two apps read, and
 * LOCAL_SETTINGS.md says truly which of them the Frontface reads.
 */
class LocalSettingsExampleTest {
    /** This app's sources and the adapters it uses: a setting read by a literal name anywhere there must be listed. */
    private static final List<Path> SOURCES = LocalSettingsExample.appSources();

    @Test
    void theTableSaysExactlyWhichSettingsTheFrontfaceReads() throws IOException {
        assertThat(LocalSettingsExample.readBy(TABLE, "Frontface"))
                .containsExactlyInAnyOrderElementsOf(new TreeSet<>(FrontfaceSettings.SETTING_NAMES));
        assertThat(FrontfaceSettings.SETTING_NAMES).contains("MUTEXIFY_GOOGLE_CLIENT_IDS", "MUTEXIFY_ADMINS",
                "MUTEXIFY_ALLOWED_DOMAINS", "MUTEXIFY_RATE_LIMIT_PER_SECOND", "MUTEXIFY_RATE_LIMIT_BURST", "MUTEXIFY_CORS_ORIGINS")
                .doesNotContain("MUTEXIFY_AUTH", "MUTEXIFY_DEV_SIGNIN", "MUTEXIFY_SESSION_HOURS");
    }

    @Test
    void theExampleAndTheTableListExactlyWhatTheTwoAppsRead() throws IOException {
        Set<String> both = new TreeSet<>(FrontfaceSettings.SETTING_NAMES);
        both.addAll(LockkeeperSettings.SETTING_NAMES);
        assertThat(LocalSettingsExample.listed(EXAMPLE)).containsExactlyInAnyOrderElementsOf(both);
        assertThat(LocalSettingsExample.tabled(TABLE)).containsExactlyInAnyOrderElementsOf(both);
    }

    @Test
    void everySettingNamedInTheSourcesIsOneTheFrontfaceReads() throws IOException {
        var named = LocalSettingsExample.namedIn(SOURCES);
        assertThat(named).isNotEmpty();
        assertThat(LocalSettingsExample.readBy(TABLE, "Frontface")).containsAll(named);
    }
}
