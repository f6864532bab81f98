package io.mutexify.cli;

import io.mutexify.client.MutexifyClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mutexify release}: gives a held lock back. */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = {"Releases a lock you hold.", "Exits 3 if the token no longer holds the lock (it expired or was broken)."})
final class ReleaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    @Option(names = "--slot", paramLabel = "SLOT", defaultValue = "${env:MUTEXIFY_SLOT}", description = "The slot; env MUTEXIFY_SLOT.")
    String slot;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:MUTEXIFY_TOKEN}",
            description = "The lock's token, from acquire; env MUTEXIFY_TOKEN.")
    String token;

    @Override
    public Integer call() {
        MutexifyCli.require(spec, slot, "--slot", "MUTEXIFY_SLOT");
        MutexifyCli.require(spec, token, "--token", "MUTEXIFY_TOKEN");
        try (MutexifyClient client = connection.client()) {
            client.release(slot, token);
        }
        return ExitCodes.OK;
    }
}
