package io.mutexify.bench;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code mutexify-bench} command: drives a running server over HTTP and prints throughput and latency percentiles. */
@Command(name = "mutexify-bench", mixinStandardHelpOptions = true,
        description = "Drives a running Mutexify server and prints throughput and latency percentiles.")
public final class Bench implements Callable<Integer> {
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "Server base URL (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--clients", defaultValue = "16", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--seconds", defaultValue = "20", description = "Measured seconds per scenario (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup", defaultValue = "15", description = "Warm-up seconds per scenario, not measured (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--scenario", defaultValue = "both",
            description = "uncontended, contended or both (default: ${DEFAULT-VALUE}).")
    String scenario;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!scenario.matches("uncontended|contended|both")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--scenario must be uncontended, contended or both");
        }
        String run = Long.toString(System.currentTimeMillis(), 36);
        System.out.printf("mutexify-bench: %s, %d clients, %ds measured after %ds warm-up%n", url, clients, seconds, warmup);
        boolean ok = true;
        if (!scenario.equals("contended")) {
            ok &= new Uncontended(url, clients, "bench-u-" + run).run(Duration.ofSeconds(warmup), Duration.ofSeconds(seconds)).print();
        }
        if (!scenario.equals("uncontended")) {
            ok &= new Contended(url, clients, "bench-c-" + run).run(Duration.ofSeconds(warmup), Duration.ofSeconds(seconds)).print();
        }
        return ok ? 0 : 1;
    }
}
