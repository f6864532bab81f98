package io.mutexify.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mutexify.client.Lease;
import io.mutexify.client.WithClientServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mutexify run --wait} longer than one call may be held: 202, then long polls, keeping its place in line. */
class CliLongWaitTest extends WithClientServer {
    @Test
    void runWaitsTwoMinutesBehindAHolderThatReleasesAfter70Seconds(@TempDir Path dir) throws Exception {
        Path ran = dir.resolve("ran");
        Lease held = client.acquire("long-wait", Duration.ofMinutes(5), Duration.ZERO, List.of());
        long start = System.nanoTime();
        CliProcess run = CliProcess.start(dir, "run", "run", "--url=" + server.url(), "--slot", "long-wait", "--wait", "2m",
                "--", "sh", "-c", "echo \"$MUTEXIFY_FENCE\" > " + ran);
        await().atMost(Duration.ofSeconds(30)).until(() -> run.stderr().contains("waiting for long-wait"));
        assertThat(client.slot("long-wait").waiting()).isEqualTo(1);
        assertThat(run.stderr()).contains("held by " + held.lock().owner()).contains(" left, you are #1");

        Thread.sleep(Math.max(0, 70_000 - (System.nanoTime() - start) / 1_000_000));
        // Past one call's 60 s: the waiter is still in line, kept there by its polls.
        assertThat(client.slot("long-wait").waiting()).isEqualTo(1);
        assertThat(ran).doesNotExist();
        held.release();

        assertThat(run.exitCode(30)).as(run.stderr()).isZero();
        assertThat(Long.parseLong(Files.readString(ran).trim())).isEqualTo(held.fence() + 1);
        assertThat(run.stderr()).contains("granted long-wait");
        System.out.printf("run --wait 2m granted after %d s%n", (System.nanoTime() - start) / 1_000_000_000L);
    }
}
