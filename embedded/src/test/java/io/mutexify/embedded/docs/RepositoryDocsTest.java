package io.mutexify.embedded.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README is a quickstart and a map (under 12 KB), its links lead somewhere, and nothing points outside the repository. */
class RepositoryDocsTest {
    private static final Set<String> SKIPPED = Set.of(".git", "target", ".cache", "node_modules", "data");

    @Test
    void theReadmeIsShortAndEveryLinkInItExists() throws IOException {
        Path root = repoRoot();
        Path readme = root.resolve("README.md");
        assertThat(Files.size(readme)).as("README.md bytes").isLessThan(12 * 1024);
        String text = Files.readString(readme);
        Matcher links = Pattern.compile("\\]\\((?!https?:|#)([^)#]+)").matcher(text);
        int n = 0;
        while (links.find()) {
            n++;
            assertThat(root.resolve(links.group(1))).as("README links to %s", links.group(1)).exists();
        }
        assertThat(n).as("README links into docs/").isGreaterThan(10);
        for (String doc : List.of("configuration", "access", "rest-api", "client", "cli", "web-ui", "events", "azure",
                "azure-deploy", "bench", "design")) {
            assertThat(text).contains("docs/" + doc + ".md");
        }
    }

    @Test
    void noFilePointsOutsideTheRepository() throws IOException {
        Path root = repoRoot();
        String[] outside = {"../" + "shared", "/work/" + "shared"};
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> offenders = files
                    .filter(p -> root.relativize(p).toString().split("/").length > 0
                            && java.util.Arrays.stream(root.relativize(p).toString().split("/")).noneMatch(SKIPPED::contains))
                    .filter(Files::isRegularFile)
                    .filter(p -> {
                        try {
                            String s = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                            return s.contains(outside[0]) || s.contains(outside[1]);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
            assertThat(offenders).isEmpty();
        }
    }

    private static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("README.md"))) {
            p = p.getParent();
        }
        return p;
    }
}
