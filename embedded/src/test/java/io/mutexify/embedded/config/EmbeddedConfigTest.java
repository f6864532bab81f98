package io.mutexify.embedded.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EmbeddedConfigTest {
    private static EmbeddedConfig from(Map<String, String> env) {
        return EmbeddedConfig.from(env::get);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        EmbeddedConfig c = from(Map.of());
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.dataDir()).isEqualTo(Path.of("data"));
        assertThat(c.webhooks()).isEmpty();
        assertThat(c.policy().autoRegister()).isTrue();
        assertThat(c.policy().defaultTimeout()).isEqualTo(60);
        assertThat(c.policy().maxTimeout()).isEqualTo(86_400);
        assertThat(c.replyTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void valuesAreReadFromTheEnvironment() {
        EmbeddedConfig c = from(Map.of("MUTEXIFY_PORT", "9000", "MUTEXIFY_DATA_DIR", "/tmp/x",
                "MUTEXIFY_WEBHOOKS", "http://a.example/hook, https://b.example/h", "MUTEXIFY_AUTO_REGISTER", "false"));
        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(c.webhooks()).containsExactly(URI.create("http://a.example/hook"), URI.create("https://b.example/h"));
        assertThat(c.policy().autoRegister()).isFalse();
    }

    @Test
    void badValuesFailWithTheVariablesName() {
        assertThatThrownBy(() -> from(Map.of("MUTEXIFY_PORT", "eighty"))).hasMessageContaining("MUTEXIFY_PORT");
        assertThatThrownBy(() -> from(Map.of("MUTEXIFY_PORT", "70000"))).hasMessageContaining("MUTEXIFY_PORT");
        assertThatThrownBy(() -> from(Map.of("MUTEXIFY_AUTO_REGISTER", "yes"))).hasMessageContaining("MUTEXIFY_AUTO_REGISTER");
        assertThatThrownBy(() -> from(Map.of("MUTEXIFY_WEBHOOKS", "ftp://x/"))).hasMessageContaining("MUTEXIFY_WEBHOOKS");
        assertThatThrownBy(() -> from(Map.of("MUTEXIFY_DEFAULT_TIMEOUT", "100", "MUTEXIFY_MAX_TIMEOUT", "50")))
                .hasMessageContaining("MUTEXIFY_DEFAULT_TIMEOUT");
        assertThatThrownBy(() -> from(Map.of("MUTEXIFY_MAX_TIMEOUT", "2592001"))).hasMessageContaining("MUTEXIFY_MAX_TIMEOUT");
    }

    /** Every variable the code reads is in docs/configuration.md's table, with the same default, and the table lists nothing else. */
    @Test
    void theConfigurationPageListsEverySettingWithItsDefault() throws IOException {
        String readme = Files.readString(repoRoot().resolve("docs/configuration.md"));
        Matcher m = Pattern.compile("^\\| `(MUTEXIFY_[A-Z_]+)` \\| ([^|]+) \\|", Pattern.MULTILINE).matcher(readme);
        Map<String, String> documented = new HashMap<>();
        while (m.find()) {
            String dflt = m.group(2).trim();
            documented.put(m.group(1), dflt.startsWith("`") ? dflt.replace("`", "") : "");
        }
        assertThat(documented).isEqualTo(EmbeddedConfig.SETTINGS);
    }

    /** The code reads no MUTEXIFY_ variable that is not declared in SETTINGS. */
    @Test
    void noVariableIsReadOutsideTheDeclaredSettings() throws IOException {
        Pattern name = Pattern.compile("\"(MUTEXIFY_[A-Z_]+)\"");
        List<String> read;
        // the embedded sources, and the access settings it shares with the other hosts
        try (Stream<Path> files = Stream.concat(Files.walk(repoRoot().resolve("embedded/src/main/java")),
                Files.walk(repoRoot().resolve("frontface/src/main/java/io/mutexify/frontface/access")))) {
            read = files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
                try {
                    Matcher m = name.matcher(Files.readString(p));
                    return m.results().map(r -> r.group(1)).toList().stream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).distinct().collect(Collectors.toList());
        }
        assertThat(EmbeddedConfig.SETTINGS.keySet()).containsAll(read);
    }

    private static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("README.md"))) {
            p = p.getParent();
        }
        return p;
    }
}
