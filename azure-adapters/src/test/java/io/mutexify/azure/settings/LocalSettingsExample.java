package io.mutexify.azure.settings;

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

/** Reads a Function app's local.settings.json.example and the setting names its sources spell out, for the apps' settings tests. */
public final class LocalSettingsExample {
    private static final Pattern SETTING_LITERAL =
            Pattern.compile("\"((?:MUTEXIFY|COSMOS|SERVICEBUS|EVENTGRID|APPLICATIONINSIGHTS|AZURE|FUNCTIONS)_[A-Za-z0-9_]+|AzureWebJobs[A-Za-z]+)\"");

    private LocalSettingsExample() {
    }

    /** The names under "Values" in {@code example}. */
    public static Set<String> listed(Path example) throws IOException {
        JsonNode values = Json.mapper().readTree(example.toFile()).path("Values");
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = values.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    /** Every setting name written as a string literal in the Java files under {@code dirs} (each must exist). */
    public static Set<String> namedIn(List<Path> dirs) throws IOException {
        Set<String> named = new TreeSet<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("not a directory: " + dir.toAbsolutePath());
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = SETTING_LITERAL.matcher(Files.readString(f));
                    while (m.find()) {
                        named.add(m.group(1));
                    }
                }
            }
        }
        return named;
    }
}
