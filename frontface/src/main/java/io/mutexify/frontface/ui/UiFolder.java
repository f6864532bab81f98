package io.mutexify.frontface.ui;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The names of the files directly in a classpath folder, listed once. Asking the class loader for
 * a name that is not there is not free: the JDK's loader remembers every name it was asked for, so
 * a stranger requesting made-up file names would fill the heap through it. With the list, a
 * made-up name is answered without asking.
 */
final class UiFolder {
    private UiFolder() {
    }

    /** The file names in {@code folder} (e.g. {@code ui/}), found next to {@code marker}; empty if it cannot be listed. */
    static Optional<Set<String>> list(String folder, String marker) {
        URL url = UiFolder.class.getClassLoader().getResource(folder + marker);
        if (url == null) {
            return Optional.empty();
        }
        try {
            if (url.getProtocol().equals("file")) {
                try (Stream<Path> files = Files.list(Path.of(url.toURI()).getParent())) {
                    Set<String> names = new HashSet<>();
                    files.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
                    return Optional.of(Set.copyOf(names));
                }
            }
            if (url.getProtocol().equals("jar") && url.openConnection() instanceof JarURLConnection jar) {
                jar.setUseCaches(false);
                try (JarFile file = jar.getJarFile()) {
                    Set<String> names = new HashSet<>();
                    for (JarEntry e : java.util.Collections.list(file.entries())) {
                        String n = e.getName();
                        if (!e.isDirectory() && n.startsWith(folder) && n.indexOf('/', folder.length()) < 0) {
                            names.add(n.substring(folder.length()));
                        }
                    }
                    return Optional.of(Set.copyOf(names));
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
