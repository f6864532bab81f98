package io.mutexify.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The {@code --slot} of a command that reads one slot, defaulting to the one acquire's output names. */
final class SlotOption {
    @Option(names = "--slot", paramLabel = "SLOT", defaultValue = "${env:MUTEXIFY_SLOT}", description = "The slot; env MUTEXIFY_SLOT.")
    String id;

    /** The slot; fails the command with a usage error if none is given. */
    String require(CommandSpec spec) {
        MutexifyCli.require(spec, id, "--slot", "MUTEXIFY_SLOT");
        return id;
    }
}
