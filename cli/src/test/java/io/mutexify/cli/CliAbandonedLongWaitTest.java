package io.mutexify.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mutexify.client.Lease;
import io.mutexify.client.WithClientServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A long wait whose client stops polling leaves the line and is never granted: no ghost holder. */
class CliAbandonedLongWaitTest extends WithClientServer {
    @Test
    void aLongWaitNobodyPollsLeavesTheLineAndIsNeverGranted() throws Exception {
        Lease held = client.acquire("ghost", Duration.ofMinutes(5), Duration.ZERO, List.of());
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest acquire = HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/locks/ghost"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"wait\":3600,\"owner\":\"gone-away\"}"))
                .timeout(Duration.ofSeconds(120))
                .build();
        HttpResponse<String> accepted = http.send(acquire, HttpResponse.BodyHandlers.ofString());
        long answered = System.nanoTime();
        // One call holds at most 60 s; the wait goes on at the request's Location.
        assertThat(accepted.statusCode()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/api/v1/requests/");
        assertThat(client.slot("ghost").waiting()).isEqualTo(1);

        // Nobody polls: within the 30 s grace (and a margin) the waiter leaves the line.
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofSeconds(1))
                .until(() -> client.slot("ghost").waiting() == 0);
        System.out.printf("an unpolled long wait left the line %d s after its 202%n",
                (System.nanoTime() - answered) / 1_000_000_000L);

        held.release();
        Thread.sleep(1000);
        assertThat(client.status("ghost")).as("the ghost was never granted").isEmpty();
        HttpResponse<String> asked = http.send(HttpRequest.newBuilder(URI.create(server.url() + location)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(asked.statusCode()).isNotEqualTo(200);
    }
}
