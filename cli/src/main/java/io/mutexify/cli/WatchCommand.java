package io.mutexify.cli;

import io.mutexify.client.MutexifyClient;
import io.mutexify.client.SlotInfo;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mutexify watch}: follows a slot's changes by long polling, a line per change: readable on a terminal, JSON otherwise. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Follows a slot's changes, a line each.",
            "Prints the slot now and after every change (long poll on GET /api/v1/slots/{id}?index=N). On a terminal "
                + "each line reads: time, what changed, who holds it, fence, time left, waiters; with --json, or when "
                + "the output is piped, each line is the slot as JSON. Stops after --count changes, or once the slot is "
                + "--until free|held; otherwise runs until interrupted. Exits 3 if the slot is not (or no longer) registered."})
final class WatchCommand extends ServerCommand {
    @Mixin
    SlotOption slotOption;

    @Option(names = "--index", paramLabel = "N",
            description = "Start after this change index (X-Mutexify-Index) instead of printing the current state first.")
    Long index;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "Longest single poll (default: ${DEFAULT-VALUE}, at most 5m).")
    Duration wait;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N changes.")
    Integer count;

    @Option(names = "--until", paramLabel = "STATE", description = "Stop once the slot is free or held (checked on every line printed).")
    String until;

    @Option(names = "--json", description = "One JSON line per change even on a terminal (the default when piped).")
    boolean json;

    private SlotInfo printed;

    @Override
    public Integer call() {
        String slot = slotOption.require(spec);
        if (until != null && !until.equals("free") && !until.equals("held")) {
            throw new IllegalArgumentException("--until must be free or held");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (MutexifyClient client = connection.client()) {
            long at;
            if (index == null) {
                SlotInfo now = client.slot(slot);
                if (print(out, now)) {
                    return ExitCodes.OK;
                }
                at = now.version();
            } else {
                at = index;
            }
            int changes = 0;
            while (count == null || changes < count) {
                SlotInfo s = client.watch(slot, at, wait);
                if (s.version() <= at) {
                    continue; // the poll ended without a change
                }
                at = s.version();
                changes++;
                if (print(out, s)) {
                    return ExitCodes.OK;
                }
            }
        }
        return ExitCodes.OK;
    }

    /** Prints a line; returns true if the slot reached the state --until asks for. */
    private boolean print(PrintWriter out, SlotInfo s) {
        // A terminal gets lines for people; a pipe (or --json) gets JSON for programs.
        boolean forPeople = !json && System.console() != null;
        out.println(forPeople ? WatchLines.line(printed, s, java.time.Instant.now()) : Output.json(s));
        printed = s;
        out.flush();
        return until != null && until.equals(s.state());
    }
}
