package io.mutexify.bench;

import io.mutexify.client.MutexifyClient;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code mutexify-bench} command: drives a running server over HTTP — with its own lean
 * connections, or through the Java client library — and prints throughput and latency percentiles.
 */
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

    @Option(names = "--token", defaultValue = "${env:MUTEXIFY_API_KEY}",
            description = "Bearer credential, an API key or a dev sign-in token (default: the MUTEXIFY_API_KEY environment variable).")
    String token;

    @Option(names = "--driver", defaultValue = "http",
            description = "http (a lean keep-alive connection per client) or client (the Java client library) (default: ${DEFAULT-VALUE}).")
    String driver;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!scenario.matches("uncontended|contended|both")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--scenario must be uncontended, contended or both");
        }
        if (!driver.matches("http|client")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--driver must be http or client");
        }
        String run = Long.toString(System.currentTimeMillis(), 36);
        System.out.printf("mutexify-bench: %s, %d clients, %ds measured after %ds warm-up, driver %s%n",
                url, clients, seconds, warmup, driver);
        MutexifyClient shared = driver.equals("client") ? MutexifyClient.builder().baseUrl(url).apiKey(token).build() : null;
        Driver.Factory drivers = shared != null ? () -> new ClientDriver(shared) : () -> new BenchHttp(url, token);
        boolean ok = true;
        try {
            if (!scenario.equals("contended")) {
                ok &= new Uncontended(drivers, clients, "bench-u-" + run).run(Duration.ofSeconds(warmup), Duration.ofSeconds(seconds)).print();
            }
            if (!scenario.equals("uncontended")) {
                ok &= new Contended(drivers, clients, "bench-c-" + run).run(Duration.ofSeconds(warmup), Duration.ofSeconds(seconds)).print();
            }
        } finally {
            if (shared != null) {
                shared.close();
            }
        }
        return ok ? 0 : 1;
    }
}
