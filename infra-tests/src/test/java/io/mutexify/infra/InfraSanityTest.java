package io.mutexify.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.infra.BicepFile.Param;
import io.mutexify.infra.BicepFile.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a Bicep compiler would catch first, checked by reading the files: names declared, no registry modules. */
class InfraSanityTest {
    private static List<Path> bicepFiles() throws IOException {
        try (Stream<Path> files = Files.walk(Repo.path("infra"))) {
            return files.filter(p -> p.toString().endsWith(".bicep")).sorted().toList();
        }
    }

    @Test
    void theInfraIsPlainBicepWithoutRegistryModules() throws IOException {
        assertThat(bicepFiles()).isNotEmpty();
        for (Path f : bicepFiles()) {
            String code = BicepFile.read(f).code();
            assertThat(code).as(f.toString()).doesNotContain("'br:").doesNotContain("'br/").doesNotContain("'ts:")
                    .doesNotContain("'ts/");
            assertThat(code).as(f + ": modules (none are needed; keep one readable file)").doesNotContainPattern("(?m)^module\\s");
        }
    }

    @Test
    void everyNameUsedIsDeclared() throws IOException {
        for (Path f : bicepFiles()) {
            BicepFile bicep = BicepFile.read(f);
            Set<String> declared = new TreeSet<>(bicep.params().keySet());
            declared.addAll(bicep.variables());
            declared.addAll(bicep.loopVariables());
            bicep.resources().forEach(r -> declared.add(r.symbol()));
            Set<String> undeclared = new TreeSet<>(bicep.usedIdentifiers());
            undeclared.removeAll(declared);
            assertThat(undeclared).as(f + ": names used but never declared as param, var or resource").isEmpty();
        }
    }

    @Test
    void everyParamAndVarIsUsed() throws IOException {
        for (Path f : bicepFiles()) {
            BicepFile bicep = BicepFile.read(f);
            Set<String> unused = new TreeSet<>(bicep.params().keySet());
            unused.addAll(bicep.variables());
            unused.removeAll(bicep.usedIdentifiers());
            assertThat(unused).as(f + ": declared but never used").isEmpty();
        }
    }

    @Test
    void resourcesHaveDistinctSymbolsAndPinnedApiVersions() {
        BicepFile bicep = Repo.mainBicep();
        Set<String> symbols = new TreeSet<>();
        for (Resource r : bicep.resources()) {
            assertThat(symbols.add(r.symbol())).as("resource symbol used twice: " + r.symbol()).isTrue();
            assertThat(r.apiVersion()).as(r.symbol()).matches("\\d{4}-\\d{2}-\\d{2}(-preview)?");
        }
        assertThat(bicep.resources()).hasSizeGreaterThan(20);
        // every resource header is found: none missed by the reader
        long headers = bicep.code().lines().filter(l -> l.startsWith("resource ")).count();
        assertThat(bicep.resources()).hasSize((int) headers);
    }

    @Test
    void theParametersExampleNamesOnlyDeclaredParamsWithValuesOfTheirType() {
        BicepFile bicep = Repo.mainBicep();
        Map<String, Param> params = bicep.params();
        JsonNode example = Repo.json("infra/main.parameters.example.json");
        assertThat(example.path("contentVersion").asText()).isNotEmpty();
        JsonNode values = example.path("parameters");
        assertThat(values.size()).isPositive();
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Param p = params.get(e.getKey());
            assertThat(p).as("the example names %s, which main.bicep does not declare", e.getKey()).isNotNull();
            JsonNode v = e.getValue().path("value");
            switch (p.type()) {
                case "string" -> assertThat(v.isTextual()).as(e.getKey()).isTrue();
                case "int" -> assertThat(v.isInt()).as(e.getKey()).isTrue();
                case "bool" -> assertThat(v.isBoolean()).as(e.getKey()).isTrue();
                default -> { }
            }
        }
        // a param without a default must be given
        for (Param p : params.values()) {
            if (p.defaultValue() == null) {
                assertThat(values.has(p.name())).as("required param %s missing from the example", p.name()).isTrue();
            }
        }
    }

    @Test
    void theParametersFileAnOperatorFillsInIsNotCommitted() {
        // README: cp infra/main.parameters.example.json infra/main.parameters.json; it may hold an e-mail or webhook URL
        assertThat(Repo.read(".gitignore")).contains("infra/main.parameters.json");
    }
}
