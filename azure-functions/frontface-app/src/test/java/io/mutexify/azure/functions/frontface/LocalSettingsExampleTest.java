package io.mutexify.azure.functions.frontface;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.azure.settings.LocalSettingsExample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** No setting the code reads may be missing from local.settings.json.example, and the example lists nothing else. */
class LocalSettingsExampleTest {
    private static final Path EXAMPLE = Path.of("local.settings.json.example");
    /** This app's sources and the adapters it uses: a setting read by a literal name anywhere there must be listed. */
    private static final List<Path> SOURCES = List.of(Path.of("src/main/java"),
            Path.of("../../azure-adapters/src/main/java/io/mutexify/azure/cosmos"),
            Path.of("../../azure-adapters/src/main/java/io/mutexify/azure/servicebus"),
            Path.of("../../azure-adapters/src/main/java/io/mutexify/azure/insights"));

    @Test
    void theExampleListsExactlyTheSettingsTheAppReads() throws IOException {
        assertThat(LocalSettingsExample.listed(EXAMPLE)).containsExactlyInAnyOrderElementsOf(new TreeSet<>(FrontfaceSettings.SETTING_NAMES));
    }

    @Test
    void everySettingNamedInTheSourcesIsListed() throws IOException {
        var named = LocalSettingsExample.namedIn(SOURCES);
        assertThat(named).isNotEmpty();
        assertThat(LocalSettingsExample.listed(EXAMPLE)).containsAll(named);
    }
}
