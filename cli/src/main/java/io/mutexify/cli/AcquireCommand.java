package io.mutexify.cli;

import io.mutexify.client.LockInfo;
import io.mutexify.client.LockRequest;
import io.mutexify.client.MutexifyClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mutexify acquire}: takes a lock and hands its token to the shell; nothing renews it. */
@Command(name = "acquire", mixinStandardHelpOptions = true,
        description = {
            "Acquires a lock and prints its token and fence for the shell.",
            "Prints MUTEXIFY_SLOT, MUTEXIFY_TOKEN, MUTEXIFY_FENCE, MUTEXIFY_TIMEOUT, MUTEXIFY_EXPIRE_AT (and MUTEXIFY_UNIT on a pool) as "
                + "KEY=value lines, for eval \"$(mutexify acquire …)\". Nothing renews the lock after this command "
                + "exits: extend it before it expires, or use 'run'. Exits 75 if the lock is held and the wait ended."})
final class AcquireCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    @Option(names = "--slot", paramLabel = "SLOT", required = true, description = "The slot to lock.")
    String slot;

    @Option(names = "--ttl", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time to live, e.g. 60s, 10m (default: the slot's default timeout).")
    Duration ttl;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "0s", converter = DurationConverter.class,
            description = "How long to wait in line if the lock is held (default: ${DEFAULT-VALUE}, fail at once).")
    Duration wait;

    @Option(names = "--owner", paramLabel = "LABEL", defaultValue = "${env:MUTEXIFY_OWNER}",
            description = "Owner label (host, job id); env MUTEXIFY_OWNER (default: host:pid).")
    String owner;

    @Option(names = "--metadata", paramLabel = "TEXT", description = "Free text to attach; repeatable.")
    List<String> metadata = new ArrayList<>();

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Makes the acquire repeatable: run again with the same key, it returns the same grant.")
    String idempotencyKey;

    @Option(names = "--unit", paramLabel = "UNIT",
            description = "On a pool with named units, the one unit to lock (default: any free unit).")
    String unit;

    @Option(names = "--json", description = "Print the lock as JSON instead.")
    boolean json;

    @Override
    public Integer call() {
        LockRequest request = LockRequest.of(slot, ttl).withWait(wait).withMetadata(metadata).withOwner(owner)
                .withIdempotencyKey(idempotencyKey).withUnit(unit);
        try (MutexifyClient client = connection.client()) {
            LockInfo lock = WaitingAcquire.acquire(client, request, spec.commandLine().getErr()).detach();
            if (json) {
                spec.commandLine().getOut().println(Output.json(lock));
            } else {
                Output.lockVariables(spec.commandLine().getOut(), lock);
            }
        }
        return ExitCodes.OK;
    }
}
