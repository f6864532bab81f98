package io.mutexify.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.infra.BicepFile.Node;
import org.junit.jupiter.api.Test;

/** The Bicep reader the Infra tests rely on, on small pieces of Bicep. */
class BicepFileInfraTest {
    private static final String SAMPLE = """
            // a comment with a { brace and a 'quote
            param name string = 'x{y'
            param count int = 3
            /* block
               comment } */
            var greeting = 'hello ${name} and ${toUpper('}')}'
            var nested = {
              a: {
                b: [
                  'one'
                  two
                ]
              }
              'quoted key': 'v:w'
            }

            resource thing 'Microsoft.Example/things@2024-01-01' = if (!empty(name)) {
              name: name // trailing comment }
              properties: {
                list: [
                  {
                    name: 'first'
                    value: string(count)
                  }
                  {
                    name: 'second'
                    value: '${greeting}'
                  }
                ]
                pick: empty(name) ? [] : [
                  nested
                ]
              }
            }
            """;

    private final BicepFile bicep = BicepFile.of(SAMPLE);

    @Test
    void readsParamsVarsAndResources() {
        assertThat(bicep.params()).containsOnlyKeys("name", "count");
        assertThat(bicep.params().get("name").defaultLiteral()).isEqualTo("x{y");
        assertThat(bicep.variables()).containsExactly("greeting", "nested");
        BicepFile.Resource r = bicep.resource("thing");
        assertThat(r.type()).isEqualTo("Microsoft.Example/things");
        assertThat(r.apiVersion()).isEqualTo("2024-01-01");
        assertThat(r.condition()).isEqualTo("!empty(name)");
    }

    @Test
    void followsNestedObjectsAndArrays() {
        Node body = bicep.resource("thing").body();
        assertThat(body.get("name").text()).isEqualTo("name");
        assertThat(body.get("properties.list").elements()).extracting(n -> n.get("name").literal())
                .containsExactly("first", "second");
        assertThat(body.get("properties.list").elements().get(0).get("value").text()).isEqualTo("string(count)");
        assertThat(body.get("properties.pick").text()).startsWith("empty(name) ? [] : [").endsWith("]");
        assertThat(bicep.variable("nested").get("a.b").elements()).extracting(Node::text).containsExactly("'one'", "two");
        assertThat(bicep.variable("nested").properties()).containsKey("quoted key");
        assertThat(bicep.variable("nested").get("quoted key").literal()).isEqualTo("v:w");
    }

    @Test
    void resolvesNamesToLiterals() {
        assertThat(bicep.resolve("name")).isEqualTo("x{y");
        assertThat(bicep.resolve("count")).isEqualTo("3");
        assertThat(bicep.resolve("'plain'")).isEqualTo("plain");
    }

    @Test
    void findsIdentifiersOutsideStringsAndComments() {
        assertThat(bicep.usedIdentifiers()).contains("name", "count", "greeting", "nested", "two")
                .doesNotContain("comment", "brace", "quote", "hello", "toUpper", "string", "empty", "a", "b", "properties");
    }

    @Test
    void commentsAreBlankedButOffsetsKept() {
        assertThat(bicep.code()).hasSameSizeAs(bicep.raw()).doesNotContain("trailing comment").doesNotContain("block");
    }
}
