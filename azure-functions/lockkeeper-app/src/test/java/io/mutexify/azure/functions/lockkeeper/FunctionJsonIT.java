package io.mutexify.azure.functions.lockkeeper;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.azure.settings.LocalSettingsExample;
import io.mutexify.model.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Runs after {@code package} (failsafe): reads what azure-functions-maven-plugin wrote from the annotations. */
class FunctionJsonIT {
    private static final Path APP = Path.of(System.getProperty("mutexify.functionsDir", "target/azure-functions/mutexify-lockkeeper"));

    private static JsonNode read(Path p) throws IOException {
        assertThat(p).as("run mvn package first").exists();
        return Json.mapper().readTree(p.toFile());
    }

    @Test
    void theLockkeeperIsASessionEnabledServiceBusTriggerOnTheRequestQueue() throws IOException {
        JsonNode fn = read(APP.resolve("lockkeeper").resolve("function.json"));
        assertThat(fn.path("entryPoint").asText()).isEqualTo(LockkeeperFunctions.class.getName() + ".lockkeeper");
        assertThat(fn.path("bindings")).hasSize(1);
        JsonNode trigger = fn.path("bindings").get(0);
        assertThat(trigger.path("type").asText()).isEqualTo("serviceBusTrigger");
        assertThat(trigger.path("isSessionsEnabled").asBoolean()).isTrue();
        assertThat(trigger.path("queueName").asText()).isEqualTo("%MUTEXIFY_REQUEST_QUEUE%");
        assertThat(trigger.path("connection").asText()).isEqualTo("SERVICEBUS_CONNECTION");
    }

    @Test
    void pruneRunsHourly() throws IOException {
        JsonNode trigger = read(APP.resolve("prune").resolve("function.json")).path("bindings").get(0);
        assertThat(trigger.path("type").asText()).isEqualTo("timerTrigger");
        assertThat(trigger.path("schedule").asText()).isEqualTo("0 17 * * * *");
    }

    @Test
    void thePackagedHostJsonIsTheTopLevelOneByteForByte() throws IOException {
        Path top = Path.of(System.getProperty("mutexify.hostJson", "../../host.json"));
        assertThat(Files.mismatch(APP.resolve("host.json"), top)).as("packaged host.json differs from " + top).isEqualTo(-1L);
    }

    @Test
    void hostJsonMakesOneOrderedConsumerPerSession() throws IOException {
        JsonNode host = read(APP.resolve("host.json"));
        assertThat(host.path("extensionBundle").path("id").asText()).isEqualTo("Microsoft.Azure.Functions.ExtensionBundle");
        JsonNode sb = host.path("extensions").path("serviceBus");
        assertThat(sb.path("prefetchCount").asInt(-1)).isZero();
        assertThat(sb.path("autoCompleteMessages").asBoolean()).isTrue();
        assertThat(sb.path("maxMessageBatchSize").asInt()).isEqualTo(1);
        assertThat(sb.path("maxConcurrentSessions").asInt()).isPositive();
        assertThat(sb.path("sessionIdleTimeout").asText()).isNotBlank();
    }

    @Test
    void theQueueAndConnectionSettingsAreInTheExample() throws IOException {
        JsonNode values = read(LocalSettingsExample.EXAMPLE).path("Values");
        assertThat(LocalSettingsExample.listed(LocalSettingsExample.EXAMPLE)).contains("MUTEXIFY_REQUEST_QUEUE", "SERVICEBUS_CONNECTION", "AzureWebJobsStorage");
        assertThat(values.path("MUTEXIFY_REQUEST_QUEUE").asText()).isEqualTo("mutexify-requests");
    }
}
