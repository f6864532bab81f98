package io.mutexify.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mutexify.client.WithClientServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code mutexify run} told to stop by a signal: the command stops, the lock is freed, the exit code says which signal. */
class CliRunSignalTest extends WithClientServer {
    @ParameterizedTest
    @CsvSource({"TERM, 143", "INT, 130"})
    void aSignalStopsTheCommandFreesTheLockAndExits(String signal, int expectedExit, @TempDir Path dir) throws Exception {
        String slot = "run-sig-" + signal.toLowerCase();
        Path pid = dir.resolve("pid");
        CliProcess run = CliProcess.start(dir, "run", "run", "--url=" + server.url(), "--slot", slot, "--ttl", "60s", "--",
                "sh", "-c", "echo $$ > " + pid + "; exec sleep 120");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pid) && !Files.readString(pid).isBlank());
        long child = Long.parseLong(Files.readString(pid).trim());
        assertThat(client.status(slot)).isPresent();

        long sent = System.nanoTime();
        new ProcessBuilder("kill", "-" + signal, Long.toString(run.process.pid())).start().waitFor(5, TimeUnit.SECONDS);

        // The lock is free within 2 s of the signal (a 60 s TTL, so only a release can free it).
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).until(() -> client.status(slot).isEmpty());
        boolean exited = run.process.waitFor(5_000 - (System.nanoTime() - sent) / 1_000_000, TimeUnit.MILLISECONDS);
        long tookMs = (System.nanoTime() - sent) / 1_000_000;
        assertThat(exited).as("exited within 5 s of SIG%s; stderr: %s", signal, run.stderr()).isTrue();
        assertThat(run.process.exitValue()).isEqualTo(expectedExit);
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).as("child stopped").isFalse();
        System.out.printf("SIG%s: lock free and mutexify exited in %d ms%n", signal, tookMs);
    }
}
