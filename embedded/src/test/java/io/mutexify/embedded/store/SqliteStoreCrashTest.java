package io.mutexify.embedded.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.slot.SlotState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Nothing acknowledged is lost: a writer process killed with SIGKILL mid-stream keeps every acked commit. */
class SqliteStoreCrashTest {
    @TempDir
    Path dataDir;

    @Test
    @Timeout(120)
    void everyAcknowledgedCommitSurvivesSigkill() throws Exception {
        int threads = 4;
        int acksBeforeKill = 400;
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashingWriter.class.getName(), dataDir.toString(), String.valueOf(threads))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(name -> name.startsWith("MUTEXIFY_"));
        Process child = pb.start();
        Map<String, Long> acked = new HashMap<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            int acks = 0;
            String line;
            while (acks < acksBeforeKill && (line = out.readLine()) != null) {
                String[] parts = line.split(" ");
                if (parts.length == 3 && parts[0].equals("acked")) {
                    acked.merge(parts[1], Long.parseLong(parts[2]), Math::max);
                    acks++;
                }
            }
            // Process.destroyForcibly is SIGKILL on Unix: no shutdown hooks, no close(), no flush.
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(acks).as("acks read before the kill").isEqualTo(acksBeforeKill);
        } finally {
            child.destroyForcibly();
        }

        try (SqliteSlotStore store = SqliteSlotStore.open(dataDir)) {
            for (Map.Entry<String, Long> e : acked.entrySet()) {
                SlotState s = store.load(e.getKey());
                assertThat(s.version()).as("version of %s", e.getKey()).isGreaterThanOrEqualTo(e.getValue());
                for (long v = 0; v < e.getValue(); v++) {
                    assertThat(store.findReply(e.getKey() + "-" + v)).as("reply %s-%d", e.getKey(), v).isPresent();
                }
            }
        }
    }
}
