package io.mutexify.cli;

import io.mutexify.client.LockRequest;
import io.mutexify.client.MutexifyClient;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mutexify acquire}: takes a lock and hands its token to the shell; nothing renews it. */
@Command(name = "acquire", mixinStandardHelpOptions = true,
        description = {
            "Acquires a lock and prints its token and fence for the shell.",
            "Prints MUTEXIFY_SLOT, MUTEXIFY_TOKEN, MUTEXIFY_FENCE, MUTEXIFY_TIMEOUT, MUTEXIFY_EXPIRE_AT (and MUTEXIFY_UNIT on a pool) as "
                + "KEY=value lines, for eval \"$(mutexify acquire …)\". Nothing renews the lock after this command "
                + "exits: extend it before it expires, or use 'run'. Exits 75 if the lock is held and the wait ended."})
final class AcquireCommand extends ServerCommand {
    @Mixin
    LockRequestOptions lock;

    @Option(names = "--ttl", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time to live, e.g. 60s, 10m (default: the slot's default timeout).")
    Duration ttl;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "0s", converter = DurationConverter.class,
            description = "How long to wait in line if the lock is held (default: ${DEFAULT-VALUE}, fail at once).")
    Duration wait;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Makes the acquire repeatable: run again with the same key, it returns the same grant.")
    String idempotencyKey;

    @Option(names = "--json", description = "Print the lock as JSON instead.")
    boolean json;

    @Override
    public Integer call() {
        LockRequest request = lock.request(ttl, wait).withIdempotencyKey(idempotencyKey);
        try (MutexifyClient client = connection.client()) {
            Output.lock(spec.commandLine().getOut(), WaitingAcquire.acquire(client, request, spec.commandLine().getErr()).detach(), json);
        }
        return ExitCodes.OK;
    }
}
