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

    @Mixin
    HeldLockOptions held;

    @Override
    public Integer call() {
        held.require(spec);
        try (MutexifyClient client = connection.client()) {
            client.release(held.slot, held.token);
        }
        return ExitCodes.OK;
    }
}
