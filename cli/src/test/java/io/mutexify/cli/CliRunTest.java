package io.mutexify.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mutexify.client.Lease;
import io.mutexify.client.WithClientServer;
import io.mutexify.embedded.it.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mutexify run} as a separate process: exit codes, environment, losing the lock, mutual exclusion. */
class CliRunTest extends WithClientServer {
    private String url() {
        return "--url=" + server.url();
    }

    @Test
    void runPassesTheFenceAndReturnsTheCommandsExitCode(@TempDir Path dir) throws Exception {
        Path seen = dir.resolve("seen");
        CliProcess run = CliProcess.start(dir, "run", "run", url(), "--slot", "run-code", "--ttl", "10s", "--",
                "sh", "-c", "echo \"$MUTEXIFY_SLOT $MUTEXIFY_FENCE ${#MUTEXIFY_TOKEN}\" > " + seen + "; exit 7");
        assertThat(run.exitCode(30)).as(run.stderr()).isEqualTo(7);
        String[] env = Files.readString(seen).trim().split(" ");
        assertThat(env[0]).isEqualTo("run-code");
        assertThat(Long.parseLong(env[1])).isEqualTo(client.slot("run-code").fence());
        assertThat(Integer.parseInt(env[2])).isPositive(); // the token was there
        assertThat(client.status("run-code")).isEmpty(); // released when the command exited
    }

    @Test
    void runExits75WhenTheLockIsNotAcquiredInTime(@TempDir Path dir) throws Exception {
        Path ran = dir.resolve("ran");
        try (Lease held = client.acquire("run-held", Duration.ofSeconds(30), Duration.ZERO, List.of())) {
            CliProcess run = CliProcess.start(dir, "run", "run", url(), "--slot", "run-held", "--wait", "1s", "--",
                    "touch", ran.toString());
            assertThat(run.exitCode(30)).isEqualTo(ExitCodes.NOT_ACQUIRED);
            assertThat(ran).doesNotExist();
            assertThat(held.isValid()).isTrue();
        }
    }

    @Test
    void aBrokenLockStopsTheCommandAndExits76(@TempDir Path dir) throws Exception {
        Path pid = dir.resolve("pid");
        CliProcess run = CliProcess.start(dir, "run", "run", url(), "--slot", "run-break", "--ttl", "3s", "--grace", "2s", "--",
                "sh", "-c", "echo $$ > " + pid + "; exec sleep 60");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(pid) && !Files.readString(pid).isBlank());
        long child = Long.parseLong(Files.readString(pid).trim());

        client.breakLock("run-break", "test");

        assertThat(run.exitCode(20)).isEqualTo(ExitCodes.LOCK_LOST);
        assertThat(run.stderr()).contains("lost the lock on run-break").contains("NOT_HELD");
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void aServerThatStopsAnsweringStopsTheCommandEvenIfItIgnoresSigterm(@TempDir Path dir) throws Exception {
        Path pid = dir.resolve("pid");
        TestServer own = WithClientServer.startOwnServer(dir.resolve("data"));
        try {
            CliProcess run = CliProcess.start(dir, "run", "run", "--url=" + own.url(), "--slot", "run-gone", "--ttl", "3s",
                    "--grace", "500ms", "--", "sh", "-c", "trap '' TERM; echo $$ > " + pid + "; while :; do sleep 0.1; done");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(pid) && !Files.readString(pid).isBlank());
            long child = Long.parseLong(Files.readString(pid).trim());

            own.close();

            assertThat(run.exitCode(20)).isEqualTo(ExitCodes.LOCK_LOST);
            assertThat(run.stderr()).contains("lost the lock on run-gone").contains("RENEWAL_FAILED").contains("SIGKILL");
            await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
        } finally {
            own.close();
        }
    }

    @Test
    void runsOnOneSlotNeverOverlap(@TempDir Path dir) throws Exception {
        int n = 3;
        List<CliProcess> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path mark = dir.resolve("hold-" + i);
            runs.add(CliProcess.start(dir, "run-" + i, "run", url(), "--slot", "run-mutex", "--ttl", "5s", "--wait", "40s", "--",
                    "sh", "-c", "s=$(date +%s%N); sleep 0.3; echo \"$s $(date +%s%N) $MUTEXIFY_FENCE\" > " + mark));
        }
        for (CliProcess run : runs) {
            assertThat(run.exitCode(60)).as(run.stderr()).isZero();
        }
        List<long[]> holds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String[] f = Files.readString(dir.resolve("hold-" + i), StandardCharsets.UTF_8).trim().split(" ");
            holds.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])});
        }
        holds.sort(Comparator.comparingLong(h -> h[0]));
        for (int i = 1; i < n; i++) {
            long[] prev = holds.get(i - 1);
            long[] cur = holds.get(i);
            assertThat(cur[0]).as("hold %d started before hold %d ended", i, i - 1).isGreaterThan(prev[1]);
            assertThat(cur[2]).as("fences grow in the order the holds ran").isGreaterThan(prev[2]);
        }
    }
}
