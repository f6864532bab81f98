package io.mutexify.azure.functions.frontface;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.model.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs after {@code package} (failsafe): reads what azure-functions-maven-plugin wrote from the annotations. */
class FunctionJsonIT {
    private static Path app;
    private static final Map<String, JsonNode> triggersByRoute = new HashMap<>();
    private static final Set<String> referencedSettings = new TreeSet<>();

    @BeforeAll
    static void read() throws IOException {
        app = Path.of(System.getProperty("mutexify.functionsDir", "target/azure-functions/mutexify-frontface"));
        assertThat(app.resolve("host.json")).as("run mvn package first").exists();
        List<Path> files;
        try (Stream<Path> s = Files.walk(app)) {
            files = s.filter(p -> p.getFileName().toString().equals("function.json")).toList();
        }
        Pattern percent = Pattern.compile("%([A-Za-z0-9_]+)%");
        for (Path f : files) {
            String text = Files.readString(f);
            Matcher m = percent.matcher(text);
            while (m.find()) {
                referencedSettings.add(m.group(1));
            }
            for (JsonNode b : Json.mapper().readTree(text).path("bindings")) {
                if (b.path("connection").isTextual()) {
                    referencedSettings.add(b.path("connection").asText());
                }
                if (b.path("type").asText().equals("httpTrigger")) {
                    triggersByRoute.put(b.path("route").asText(), b);
                }
            }
        }
    }

    @Test
    void everyTableRouteHasAnHttpTriggerWithItsMethods() {
        Map<String, Set<String>> routes = FunctionRoutes.expected();
        assertThat(triggersByRoute.keySet()).containsExactlyInAnyOrderElementsOf(routes.keySet());
        routes.forEach((route, methods) -> {
            Set<String> got = new TreeSet<>();
            triggersByRoute.get(route).path("methods").forEach(m -> got.add(m.asText().toUpperCase()));
            assertThat(got).as(route).isEqualTo(methods);
            assertThat(triggersByRoute.get(route).path("dataType").asText()).as(route).isEqualTo("binary");
        });
    }

    /** Identity is the ApiHandler's (Google ID tokens, API keys), so no route may need a function key as well. */
    @Test
    void everyRouteIsAnonymousToTheFunctionsHost() {
        assertThat(triggersByRoute).hasSize(FunctionRoutes.expected().size());
        triggersByRoute.forEach((route, trigger) ->
                assertThat(trigger.path("authLevel").asText()).as(route).isEqualTo("ANONYMOUS"));
    }

    @Test
    void thePackagedHostJsonIsTheTopLevelOneByteForByte() throws IOException {
        Path top = Path.of(System.getProperty("mutexify.hostJson", "../../host.json"));
        assertThat(Files.mismatch(app.resolve("host.json"), top)).as("packaged host.json differs from " + top).isEqualTo(-1L);
    }

    @Test
    void hostJsonKeepsTheApiPrefixAndAnExtensionBundle() throws IOException {
        JsonNode host = Json.mapper().readTree(app.resolve("host.json").toFile());
        assertThat(host.path("extensions").path("http").path("routePrefix").asText()).isEqualTo("");
        assertThat(host.path("extensionBundle").path("id").asText()).isEqualTo("Microsoft.Azure.Functions.ExtensionBundle");
        assertThat(host.path("version").asText()).isEqualTo("2.0");
    }

    @Test
    void everySettingABindingNamesIsInTheExample() throws IOException {
        JsonNode values = Json.mapper().readTree(Path.of("../../local.settings.json.example").toFile()).path("Values");
        Set<String> listed = new TreeSet<>();
        for (Iterator<String> it = values.fieldNames(); it.hasNext(); ) {
            listed.add(it.next());
        }
        assertThat(listed).containsAll(referencedSettings);
    }
}
