package io.mutexify.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The {@code --slot} and {@code --token} of a lock you hold, shared by extend and release (defaults from acquire's output). */
final class HeldLockOptions {
    @Option(names = "--slot", paramLabel = "SLOT", defaultValue = "${env:MUTEXIFY_SLOT}", description = "The slot; env MUTEXIFY_SLOT.")
    String slot;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:MUTEXIFY_TOKEN}",
            description = "The lock's token, from acquire; env MUTEXIFY_TOKEN.")
    String token;

    /** Fails the command with a usage error unless both are given. */
    void require(CommandSpec spec) {
        MutexifyCli.require(spec, slot, "--slot", "MUTEXIFY_SLOT");
        MutexifyCli.require(spec, token, "--token", "MUTEXIFY_TOKEN");
    }
}
