package io.mutexify.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mutexify.client.SlotSpec;
import io.mutexify.client.WithClientServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mutexify run} on a pool of named units: the command learns its unit; two run at once, the third waits. */
class CliPoolRunTest extends WithClientServer {
    @Test
    void twoRunsShareATwoUnitPoolAndTheThirdWaits(@TempDir Path dir) throws Exception {
        client.createSlot(SlotSpec.of("ci-envs").withUnits(List.of("ci-env-1", "ci-env-2")));
        Path go = dir.resolve("go");
        List<CliProcess> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path started = dir.resolve("started-" + i);
            // Each command says which unit it got, then holds it until the test opens the gate.
            runs.add(CliProcess.start(dir, "run-" + i, "run", "--url=" + server.url(), "--slot", "ci-envs",
                    "--ttl", "30s", "--wait", "60s", "--", "sh", "-c",
                    "echo \"$MUTEXIFY_UNIT $MUTEXIFY_FENCE\" > " + started + ".tmp && mv " + started + ".tmp " + started
                            + "; while [ ! -e " + go + " ]; do sleep 0.05; done"));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> startedCount(dir) == 2);
        // The third is in line, not running: the pool is full.
        await().atMost(Duration.ofSeconds(30)).until(() -> client.slot("ci-envs").waiting() == 1);
        Thread.sleep(500);
        assertThat(startedCount(dir)).as("the third waits while both units are held").isEqualTo(2);
        Set<String> units = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            Path started = dir.resolve("started-" + i);
            if (Files.exists(started)) {
                units.add(Files.readString(started).trim().split(" ")[0]);
            }
        }
        assertThat(units).as("the two running commands got different units").containsExactlyInAnyOrder("ci-env-1", "ci-env-2");
        assertThat(client.slot("ci-envs").holds()).hasSize(2);
        CliProcess status = CliProcess.start(dir, "status", "status", "--url=" + server.url(), "--slot", "ci-envs");
        assertThat(status.exitCode(60)).as(status.stderr()).isZero();
        assertThat(status.stdout()).contains("pool of 2: ci-env-1 by", "ci-env-2 by", "0 available", "1 waiting");

        Files.writeString(go, "go");
        for (CliProcess run : runs) {
            assertThat(run.exitCode(60)).as(run.stderr()).isZero();
        }
        assertThat(startedCount(dir)).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(Files.readString(dir.resolve("started-" + i)).trim()).matches("ci-env-[12] \\d+");
        }
        assertThat(client.slot("ci-envs").holds()).as("every run released its unit").isEmpty();
    }

    private static long startedCount(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("started-\\d")).count();
        }
    }
}
