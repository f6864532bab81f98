package io.mutexify.azure.functions.lockkeeper;

import static io.mutexify.azure.settings.LocalSettingsExample.EXAMPLE;
import static io.mutexify.azure.settings.LocalSettingsExample.TABLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.azure.settings.LocalSettingsExample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The top-level local.settings.json.example lists every setting the Lockkeeper reads, and LOCAL_SETTINGS.md says exactly which. */
class LocalSettingsExampleTest {
    /** This app's sources and the adapters it uses: a setting read by a literal name anywhere there must be listed. */
    private static final List<Path> SOURCES = LocalSettingsExample.appSources("eventgrid");

    @Test
    void theTableSaysExactlyWhichSettingsTheLockkeeperReads() throws IOException {
        assertThat(LocalSettingsExample.readBy(TABLE, "Lockkeeper"))
                .containsExactlyInAnyOrderElementsOf(new TreeSet<>(LockkeeperSettings.SETTING_NAMES));
        assertThat(LocalSettingsExample.listed(EXAMPLE)).containsAll(LockkeeperSettings.SETTING_NAMES);
    }

    @Test
    void everySettingNamedInTheSourcesIsOneTheLockkeeperReads() throws IOException {
        var named = LocalSettingsExample.namedIn(SOURCES);
        assertThat(named).isNotEmpty();
        assertThat(LocalSettingsExample.readBy(TABLE, "Lockkeeper")).containsAll(named);
    }
}
