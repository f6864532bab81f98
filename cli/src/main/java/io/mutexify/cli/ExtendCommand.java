package io.mutexify.cli;

import io.mutexify.client.MutexifyClient;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mutexify extend}: pushes a held lock's expiry to now + ttl. */
@Command(name = "extend", mixinStandardHelpOptions = true,
        description = {"Extends a lock you hold: its expiry becomes now + TTL.",
            "Prints the same KEY=value lines as acquire. Exits 3 if the token no longer holds the lock."})
final class ExtendCommand extends ServerCommand {
    @Mixin
    HeldLockOptions held;

    @Option(names = "--ttl", paramLabel = "DURATION", required = true, converter = DurationConverter.class,
            description = "New time to live from now, e.g. 60s, 10m.")
    Duration ttl;

    @Option(names = "--json", description = "Print the lock as JSON instead.")
    boolean json;

    @Override
    public Integer call() {
        held.require(spec);
        try (MutexifyClient client = connection.client()) {
            Output.lock(spec.commandLine().getOut(), client.extend(held.slot, held.token, ttl), json);
        }
        return ExitCodes.OK;
    }
}
