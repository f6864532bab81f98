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

    /** Which scenarios run: both is uncontended then contended; all adds reads. */
    enum Scenario {
        uncontended, contended, reads, both, all;

        boolean runs(Scenario one) {
            return this == one || this == all || (this == both && one != reads);
        }
    }

    /** How a client talks to the server. */
    enum DriverKind { http, client }

    @Option(names = "--scenario", defaultValue = "both",
            description = "${COMPLETION-CANDIDATES}: both is uncontended then contended, all adds reads (default: ${DEFAULT-VALUE}).")
    Scenario scenario;

    @Option(names = "--slots", defaultValue = "0",
            description = "Slots registered before the run (seed-0000000 ..; bench.sh seeds them): the reads scenario reads among them (default: ${DEFAULT-VALUE}).")
    int slots;

    @Option(names = "--token", defaultValue = "${env:MUTEXIFY_API_KEY}",
            description = "Bearer credential, an API key or a dev sign-in token (default: the MUTEXIFY_API_KEY environment variable).")
    String token;

    @Option(names = "--driver", defaultValue = "http",
            description = "http (a lean keep-alive connection per client) or client (the Java client library) (default: ${DEFAULT-VALUE}).")
    DriverKind driver;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    /** The id SeedSlots gives slot {@code i}: {@code seed-0000042}. */
    static String seededId(int i) {
        return String.format("seed-%07d", i);
    }

    @Override
    public Integer call() throws Exception {
        if (slots < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--slots must not be negative");
        }
        String run = Long.toString(System.currentTimeMillis(), 36);
        System.out.printf("mutexify-bench: %s, %d clients, %ds measured after %ds warm-up, driver %s, %,d slots registered before%n",
                url, clients, seconds, warmup, driver, slots);
        MutexifyClient shared = driver == DriverKind.client ? MutexifyClient.builder().baseUrl(url).apiKey(token).build() : null;
        Driver.Factory drivers = shared != null ? () -> new ClientDriver(shared) : () -> new BenchHttp(url, token);
        boolean ok = true;
        try {
            if (scenario.runs(Scenario.uncontended)) {
                ok &= new Uncontended(drivers, clients, "bench-u-" + run).run(Duration.ofSeconds(warmup), Duration.ofSeconds(seconds)).print();
            }
            if (scenario.runs(Scenario.contended)) {
                ok &= new Contended(drivers, clients, "bench-c-" + run).run(Duration.ofSeconds(warmup), Duration.ofSeconds(seconds)).print();
            }
            if (scenario.runs(Scenario.reads)) {
                // Without seeded slots, the reads go to the uncontended scenario's slots (or find them free).
                String prefix = "bench-u-" + run;
                Reads reads = slots > 0 ? new Reads(url, token, clients, slots, Bench::seededId)
                        : new Reads(url, token, clients, clients, i -> prefix + "-" + i);
                ok &= reads.run(Duration.ofSeconds(warmup), Duration.ofSeconds(seconds)).print();
            }
        } finally {
            if (shared != null) {
                shared.close();
            }
        }
        return ok ? 0 : 1;
    }
}
