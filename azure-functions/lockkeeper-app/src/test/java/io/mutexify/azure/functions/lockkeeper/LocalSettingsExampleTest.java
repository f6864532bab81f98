package io.mutexify.azure.functions.lockkeeper;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.model.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** No setting the code reads may be missing from local.settings.json.example, and the example lists nothing else. */
class LocalSettingsExampleTest {
    /** This app's sources and the adapters it uses: a setting read by a literal name anywhere there must be listed. */
    private static final List<Path> SOURCES = List.of(Path.of("src/main/java"), Path.of("../../azure-adapters/src/main/java/io/mutexify/azure/cosmos"), Path.of("../../azure-adapters/src/main/java/io/mutexify/azure/servicebus"), Path.of("../../azure-adapters/src/main/java/io/mutexify/azure/insights"), Path.of("../../azure-adapters/src/main/java/io/mutexify/azure/eventgrid"));
    private static final Pattern SETTING_LITERAL =
            Pattern.compile("\"((?:MUTEXIFY|COSMOS|SERVICEBUS|EVENTGRID|APPLICATIONINSIGHTS|AZURE|FUNCTIONS)_[A-Za-z0-9_]+|AzureWebJobs[A-Za-z]+)\"");

    private static Set<String> listed() throws IOException {
        JsonNode values = Json.mapper().readTree(Path.of("local.settings.json.example").toFile()).path("Values");
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = values.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void theExampleListsExactlyTheSettingsTheAppReads() throws IOException {
        assertThat(listed()).containsExactlyInAnyOrderElementsOf(new TreeSet<>(LockkeeperSettings.SETTING_NAMES));
    }

    @Test
    void everySettingNamedInTheSourcesIsListed() throws IOException {
        Set<String> named = new TreeSet<>();
        for (Path dir : SOURCES) {
            assertThat(dir).isDirectory();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = SETTING_LITERAL.matcher(Files.readString(f));
                    while (m.find()) {
                        named.add(m.group(1));
                    }
                }
            }
        }
        assertThat(named).isNotEmpty();
        assertThat(listed()).containsAll(named);
    }
}
