package io.mutexify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mutexify.client.Lease;
import io.mutexify.client.WithClientServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's lock and slot commands, run in this JVM against a real server. */
class CliCommandsTest extends WithClientServer {
    /** One run of {@code mutexify ARGS…}: exit code and what it printed. */
    record Run(int code, String out, String err) {
        Map<String, String> variables() {
            Map<String, String> m = new LinkedHashMap<>();
            out.lines().filter(l -> l.contains("=")).forEach(l -> m.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
            return m;
        }

        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(out);
        }
    }

    private Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.add(args[0].equals("slots") ? 2 : 1, "--url=" + server.url());
        picocli.CommandLine cl = MutexifyCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void acquireExtendStatusRelease() throws Exception {
        Run acquired = cli("acquire", "--slot", "cli-a", "--ttl", "30s", "--owner", "job-1", "--metadata", "pipeline 9");
        assertThat(acquired.code()).as(acquired.err()).isZero();
        Map<String, String> v = acquired.variables();
        assertThat(v).containsKeys("MUTEXIFY_SLOT", "MUTEXIFY_TOKEN", "MUTEXIFY_FENCE", "MUTEXIFY_TIMEOUT", "MUTEXIFY_EXPIRE_AT");
        assertThat(v.get("MUTEXIFY_SLOT")).isEqualTo("cli-a");
        assertThat(v.get("MUTEXIFY_TIMEOUT")).isEqualTo("30");
        String token = v.get("MUTEXIFY_TOKEN");
        // The lock outlives the command: nothing released it.
        assertThat(client.status("cli-a")).hasValueSatisfying(l -> assertThat(l.owner()).isEqualTo("job-1"));

        Run held = cli("acquire", "--slot", "cli-a", "--ttl", "30s");
        assertThat(held.code()).isEqualTo(ExitCodes.NOT_ACQUIRED);
        assertThat(held.err()).contains("held by job-1");
        Run waited = cli("acquire", "--slot", "cli-a", "--wait", "1s");
        assertThat(waited.code()).isEqualTo(ExitCodes.NOT_ACQUIRED);

        Run status = cli("status", "--slot", "cli-a");
        assertThat(status.code()).isZero();
        assertThat(status.out()).contains("cli-a: held by job-1").contains("fence " + v.get("MUTEXIFY_FENCE"));
        assertThat(cli("status", "--slot", "cli-a", "--token", token).code()).isZero();
        assertThat(cli("status", "--slot", "cli-a", "--json").json().path("lock").path("owner").asText()).isEqualTo("job-1");

        Run extended = cli("extend", "--slot", "cli-a", "--token", token, "--ttl", "5m", "--json");
        assertThat(extended.code()).as(extended.err()).isZero();
        assertThat(extended.json().path("timeout").asInt()).isEqualTo(300);
        assertThat(extended.json().path("fence").asText()).isEqualTo(v.get("MUTEXIFY_FENCE"));

        assertThat(cli("release", "--slot", "cli-a", "--token", token).code()).isZero();
        assertThat(client.status("cli-a")).isEmpty();
        assertThat(cli("release", "--slot", "cli-a", "--token", token).code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(cli("status", "--slot", "cli-a", "--token", token).code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(cli("extend", "--slot", "cli-a", "--token", token, "--ttl", "5m").code()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void anIdempotencyKeyMakesAcquireRepeatable() {
        Run first = cli("acquire", "--slot", "cli-key", "--ttl", "30s", "--idempotency-key", "deploy-881");
        Run again = cli("acquire", "--slot", "cli-key", "--ttl", "30s", "--idempotency-key", "deploy-881");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.variables().get("MUTEXIFY_TOKEN")).isEqualTo(first.variables().get("MUTEXIFY_TOKEN"));
        assertThat(again.variables().get("MUTEXIFY_FENCE")).isEqualTo(first.variables().get("MUTEXIFY_FENCE"));
        client.release("cli-key", first.variables().get("MUTEXIFY_TOKEN"));
    }

    @Test
    void slotsCreateListBreakDelete() throws Exception {
        Run created = cli("slots", "create", "cli-staging", "--name", "Staging", "--default-timeout", "2m", "--max-timeout", "1h");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("created cli-staging: free");
        assertThat(cli("slots", "create", "cli-staging").code()).isEqualTo(ExitCodes.ERROR);

        Run list = cli("slots", "list");
        assertThat(list.out()).contains("SLOT").contains("cli-staging");
        JsonNode all = cli("slots", "list", "--json").json();
        assertThat(all.isArray()).isTrue();
        assertThat(all.findValuesAsText("id")).contains("cli-staging");
        // One page: the slots after a cursor, and the next cursor on stderr while more follow.
        assertThat(cli("slots", "create", "cli-staging2").code()).isZero();
        Run page = cli("slots", "list", "--json", "--limit", "1", "--after", "cli-stagin");
        assertThat(page.json().findValuesAsText("id")).containsExactly("cli-staging");
        assertThat(page.err()).contains("more: --after cli-staging");
        assertThat(cli("slots", "list", "--json", "--after", "cli-staging").json().findValuesAsText("id")).first()
                .isEqualTo("cli-staging2");
        assertThat(cli("slots", "delete", "cli-staging2").code()).isZero();

        try (Lease lease = client.acquire("cli-staging", null, Duration.ZERO, List.of())) {
            assertThat(lease.ttl()).isEqualTo(Duration.ofMinutes(2));
            assertThat(cli("slots", "delete", "cli-staging").code()).isEqualTo(ExitCodes.ERROR); // 409 while held
            Run broken = cli("slots", "break", "cli-staging", "--reason", "test");
            assertThat(broken.code()).as(broken.err()).isZero();
            assertThat(client.status("cli-staging")).isEmpty();
        }
        assertThat(cli("slots", "break", "cli-staging").code()).isEqualTo(ExitCodes.NOT_FOUND); // not held
        assertThat(cli("slots", "delete", "cli-staging").code()).isZero();
        assertThat(cli("status", "--slot", "cli-staging").code()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void watchPrintsEveryChangeAsAJsonLine() throws Exception {
        client.createSlot(io.mutexify.client.SlotSpec.of("cli-watch"));
        CompletableFuture<Run> watching = CompletableFuture.supplyAsync(
                () -> cli("watch", "--slot", "cli-watch", "--until", "held", "--wait", "10s"));
        // The first line is printed at once; then the long poll waits for the change.
        Thread.sleep(300);
        try (Lease lease = client.acquire("cli-watch", Duration.ofSeconds(10), Duration.ZERO, List.of())) {
            Run watched = watching.get(15, TimeUnit.SECONDS);
            assertThat(watched.code()).as(watched.err()).isZero();
            List<String> lines = watched.out().lines().toList();
            assertThat(lines).hasSizeGreaterThanOrEqualTo(2);
            JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
            assertThat(last.path("state").asText()).isEqualTo("held");
            assertThat(last.path("lock").path("fence").asLong()).isEqualTo(lease.fence());
            assertThat(new ObjectMapper().readTree(lines.get(0)).path("state").asText()).isEqualTo("free");
        }
        Run after = cli("watch", "--slot", "cli-watch", "--count", "0");
        assertThat(after.code()).isZero();
        assertThat(after.out().lines().count()).isEqualTo(1); // just the current state
        assertThat(cli("watch", "--slot", "cli-nowhere").code()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void badUsageExitsTwo() {
        assertThat(cli("acquire").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli("acquire", "--slot", "x", "--ttl", "soon").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli("acquire", "--slot", "bad slot").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli("release", "--slot", "x").code()).isEqualTo(ExitCodes.USAGE); // no token
        assertThat(cli("watch", "--slot", "x", "--until", "gone").code()).isEqualTo(ExitCodes.USAGE);
        Run help = cli("run", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--grace").contains("MUTEXIFY_FENCE");
    }
}
