package io.mutexify.cli;

import io.mutexify.client.LockInfo;
import io.mutexify.client.MutexifyClient;
import io.mutexify.client.SlotInfo;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mutexify status}: who holds a slot; with a token, whether that token still holds it. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows who holds a slot, or whether your token still does.",
            "Prints the slot's state: free, or held by whom, with fence and expiry. With --token, checks that the "
                + "token still holds the lock: exits 0 if it does, 3 if not."})
final class StatusCommand extends ServerCommand {
    @Mixin
    SlotOption slotOption;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Check this lock token instead (e.g. \"$MUTEXIFY_TOKEN\").")
    String token;

    @Option(names = "--json", description = "Print JSON instead.")
    boolean json;

    @Override
    public Integer call() {
        String slot = slotOption.require(spec);
        PrintWriter out = spec.commandLine().getOut();
        try (MutexifyClient client = connection.client()) {
            if (token != null) {
                LockInfo lock = client.lock(slot, token);
                out.println(json ? Output.json(lock) : slot + ": held by this token, fence " + lock.fence() + ", expires " + lock.expireAt());
                return ExitCodes.OK;
            }
            SlotInfo s = client.slot(slot);
            out.println(json ? Output.json(s) : Output.describe(s));
        }
        return ExitCodes.OK;
    }
}
