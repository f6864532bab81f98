package io.mutexify.azure.settings;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.model.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the Function apps' local.settings.json.example, the table of LOCAL_SETTINGS.md that says which
 * app reads which setting, and the setting names the apps' sources spell out, for their settings tests.
 */
public final class LocalSettingsExample {
    private static final Pattern SETTING_LITERAL =
            Pattern.compile("\"((?:MUTEXIFY|COSMOS|SERVICEBUS|EVENTGRID|APPLICATIONINSIGHTS|AZURE|FUNCTIONS)_[A-Za-z0-9_]+|AzureWebJobs[A-Za-z]+)\"");

    private static final Pattern TABLE_NAME = Pattern.compile("`([A-Za-z0-9_]+)`");
    /** The example both apps share, from an app's folder (where its tests run). */
    public static final Path EXAMPLE = Path.of("../../local.settings.json.example");
    /** Which app reads which setting, beside the example. */
    public static final Path TABLE = Path.of("../../LOCAL_SETTINGS.md");

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

    /** The settings the table in {@code table} (LOCAL_SETTINGS.md) marks "yes" in the column of {@code app}. */
    public static Set<String> readBy(Path table, String app) throws IOException {
        List<String> lines = Files.readAllLines(table);
        int column = -1;
        Set<String> names = new TreeSet<>();
        for (String line : lines) {
            if (!line.startsWith("|")) {
                continue;
            }
            List<String> cells = Stream.of(line.split("\\|")).map(String::trim).toList();
            if (column < 0) {
                column = cells.indexOf(app);
                continue;
            }
            Matcher name = TABLE_NAME.matcher(cells.get(1));
            if (name.matches() && cells.get(column).equals("yes")) {
                names.add(name.group(1));
            }
        }
        if (column < 0) {
            throw new IllegalArgumentException("no column " + app + " in " + table);
        }
        return names;
    }

    /** Every setting the table in {@code table} lists, whoever reads it. */
    public static Set<String> tabled(Path table) throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(table)) {
            String[] cells = line.split("\\|");
            Matcher name = cells.length > 1 ? TABLE_NAME.matcher(cells[1].trim()) : null;
            if (name != null && name.matches()) {
                names.add(name.group(1));
            }
        }
        return names;
    }

    /**
     * From an app's folder, where a setting read by a literal name must be listed: the app's sources, the adapters
     * every app uses (the shared setting names, Cosmos DB, Service Bus, Application Insights) and {@code moreAdapters}.
     */
    public static List<Path> appSources(String... moreAdapters) {
        Path adapters = Path.of("../../azure-adapters/src/main/java/io/mutexify/azure");
        List<Path> dirs = new ArrayList<>(List.of(Path.of("src/main/java"), adapters.resolve("app"),
                adapters.resolve("cosmos"), adapters.resolve("servicebus"), adapters.resolve("insights")));
        for (String more : moreAdapters) {
            dirs.add(adapters.resolve(more));
        }
        return dirs;
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
