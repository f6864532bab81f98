package io.mutexify.cli;

import io.mutexify.client.MutexifyClient;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where the server is and how to call it: flags, or the environment. */
final class Connection {
    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:MUTEXIFY_URL:-http://127.0.0.1:8080}",
            description = "Server base URL; env MUTEXIFY_URL (default: http://127.0.0.1:8080).")
    String url;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:MUTEXIFY_API_KEY}",
            description = "API key or ID token, sent as 'Authorization: Bearer'; env MUTEXIFY_API_KEY.")
    String apiKey;

    @Option(names = "--request-timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long one attempt of a call may take, plus any wait (default: ${DEFAULT-VALUE}).")
    Duration requestTimeout;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "3",
            description = "Retries of a call that got no answer or a 5xx/503; they reuse its Idempotency-Key (default: ${DEFAULT-VALUE}).")
    int retries;

    MutexifyClient client() {
        return client(Duration.ofSeconds(1));
    }

    /** A client whose leases are declared lost {@code lossMargin} before their safe deadline. */
    MutexifyClient client(Duration lossMargin) {
        return MutexifyClient.builder()
                .baseUrl(url)
                .apiKey(apiKey)
                .requestTimeout(requestTimeout)
                .maxRetries(retries)
                .lossMargin(lossMargin)
                .build();
    }
}
