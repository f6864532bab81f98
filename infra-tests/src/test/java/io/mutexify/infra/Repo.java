package io.mutexify.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The repository's files as the infra checks read them: sources, settings examples, the Bicep. */
final class Repo {
    /** A setting read by a literal name: the same pattern the apps' LocalSettingsExampleTest uses. */
    static final Pattern SETTING_LITERAL =
            Pattern.compile("\"((?:MUTEXIFY|COSMOS|SERVICEBUS|EVENTGRID|APPLICATIONINSIGHTS|AZURE|FUNCTIONS)_[A-Za-z0-9_]+|AzureWebJobs[A-Za-z]+)\"");
    private static final Pattern TABLE_NAME = Pattern.compile("`([A-Za-z0-9_]+)`");
    private static final Pattern ADAPTER_IMPORT = Pattern.compile("import\\s+io\\.mutexify\\.azure\\.(\\w+)\\.");
    private static final Path ROOT = findRoot();

    /**
     * The two Function apps: folder under azure-functions/, the symbolic name of their site in
     * main.bicep, and their column in LOCAL_SETTINGS.md.
     */
    enum App {
        FRONTFACE("frontface-app", "frontfaceApp", "Frontface"),
        LOCKKEEPER("lockkeeper-app", "lockkeeperApp", "Lockkeeper");

        final String folder;
        final String bicepSymbol;
        final String column;

        App(String folder, String bicepSymbol, String column) {
            this.folder = folder;
            this.bicepSymbol = bicepSymbol;
            this.column = column;
        }

        Path dir() {
            return ROOT.resolve("azure-functions").resolve(folder);
        }
    }

    private Repo() {
    }

    static Path root() {
        return ROOT;
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static BicepFile mainBicep() {
        return BicepFile.read(path("infra/main.bicep"));
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String relative) {
        try {
            return new ObjectMapper().readTree(path(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The keys of "Values" in the top-level local.settings.json.example, which lists both apps' settings. */
    static Set<String> exampleSettings() {
        JsonNode values = json("local.settings.json.example").path("Values");
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = values.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    /**
     * The settings LOCAL_SETTINGS.md says the app reads (its column says "yes"). The apps' own tests
     * hold that column to the names their code reads.
     */
    static Set<String> tableSettings(App app) {
        Set<String> names = new TreeSet<>();
        int column = -1;
        for (String line : read("LOCAL_SETTINGS.md").split("\n")) {
            if (!line.startsWith("|")) {
                continue;
            }
            java.util.List<String> cells = Stream.of(line.split("\\|")).map(String::trim).toList();
            if (column < 0) {
                column = cells.indexOf(app.column);
                continue;
            }
            Matcher name = TABLE_NAME.matcher(cells.get(1));
            if (name.matches() && cells.get(column).equals("yes")) {
                names.add(name.group(1));
            }
        }
        if (column < 0) {
            throw new IllegalStateException("LOCAL_SETTINGS.md has no column " + app.column);
        }
        return names;
    }

    /** The adapter packages (cosmos, servicebus, ...) the app's sources import. */
    static Set<String> adaptersUsedBy(App app) {
        Set<String> packages = new TreeSet<>();
        for (Path f : javaFiles(app.dir().resolve("src/main/java"))) {
            Matcher m = ADAPTER_IMPORT.matcher(readFile(f));
            while (m.find()) {
                packages.add(m.group(1));
            }
        }
        return packages;
    }

    /**
     * Every setting the app reads: its column of LOCAL_SETTINGS.md, and every setting named by a
     * literal in its own sources and in the sources of the adapters it imports.
     */
    static Set<String> settingsReadBy(App app) {
        Set<String> names = new TreeSet<>(tableSettings(app));
        Set<Path> dirs = new LinkedHashSet<>();
        dirs.add(app.dir().resolve("src/main/java"));
        for (String adapter : adaptersUsedBy(app)) {
            dirs.add(path("azure-adapters/src/main/java/io/mutexify/azure/" + adapter));
        }
        for (Path dir : dirs) {
            for (Path f : javaFiles(dir)) {
                Matcher m = SETTING_LITERAL.matcher(readFile(f));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /** A {@code static final} String or int constant's value, read from a Java source. */
    static String javaConstant(String relative, String name) {
        Matcher m = Pattern.compile("\\b" + Pattern.quote(name) + "\\s*=\\s*(?:\"([^\"]*)\"|([0-9_]+)\\s*;)")
                .matcher(read(relative));
        if (!m.find()) {
            throw new NoSuchElementException(name + " in " + relative);
        }
        return m.group(1) != null ? m.group(1) : m.group(2).replace("_", "");
    }

    static java.util.List<Path> javaFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("not a directory: " + dir);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String readFile(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("infra/main.bicep")) && Files.isDirectory(d.resolve("azure-functions"))) {
                return d;
            }
        }
        throw new IllegalStateException("no repository root (with infra/main.bicep) above " + dir);
    }
}
