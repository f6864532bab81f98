package io.mutexify.cli;

import io.mutexify.client.MutexifyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mutexify release}: gives a held lock back. */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = {"Releases a lock you hold.", "Exits 3 if the token no longer holds the lock (it expired or was broken)."})
final class ReleaseCommand extends ServerCommand {
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
