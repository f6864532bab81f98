package io.mutexify.cli;

import io.mutexify.client.LockHeldException;
import io.mutexify.client.MutexifyException;
import io.mutexify.client.NotFoundException;
import java.io.PrintWriter;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code mutexify} command: locks from shell scripts. */
@Command(name = "mutexify", mixinStandardHelpOptions = true, version = "mutexify 0.1.0",
        description = {
            "Locks on Mutexify slots from shell scripts and CI jobs.",
            "Run a command under a lock with 'mutexify run --slot S -- COMMAND…': the lock is renewed while the "
                + "command runs, and the command is stopped if the lock is lost."},
        subcommands = {AcquireCommand.class, ExtendCommand.class, ReleaseCommand.class, StatusCommand.class,
            SlotsCommand.class, WatchCommand.class, RunCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:error: server unreachable, call refused (400/403/409) or failed (5xx)",
            "2:bad usage",
            "3:not found: slot not registered, or the token does not hold the lock",
            "75:not acquired: the lock is held by someone else and the wait ended",
            "76:lock lost while 'run' was running its command",
            "126/127:'run' could not execute / find its command",
            "other:'run' exits with its command's exit code"},
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  MUTEXIFY_URL       server base URL (default http://127.0.0.1:8080)",
            "  MUTEXIFY_API_KEY   API key or ID token, sent as 'Authorization: Bearer'",
            "  MUTEXIFY_OWNER     default owner label of locks (default host:pid)",
            "  MUTEXIFY_SLOT, MUTEXIFY_TOKEN   defaults for extend/release/status (printed by acquire)"})
public final class MutexifyCli implements Runnable {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        // The client logs lost leases; the CLI reports them itself.
        Logger.getLogger("io.mutexify.client").setLevel(Level.SEVERE);
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests run it in-process with {@link CommandLine#execute}. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new MutexifyCli());
        cl.setExecutionExceptionHandler(MutexifyCli::failure);
        // Everything after run's first positional argument belongs to the command, options included.
        cl.getSubcommands().get("run").setStopAtPositional(true);
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: acquire, extend, release, status, slots, watch or run");
    }

    private static int failure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof LockHeldException held) {
            String message = held.getMessage();
            if (held.holder() != null && !message.contains(" until ")) {
                message = "slot " + held.slot() + " is held by " + held.holderOwner() + " until " + held.expireAt();
            }
            err.println("mutexify: " + message);
            return ExitCodes.NOT_ACQUIRED;
        }
        if (e instanceof NotFoundException) {
            err.println("mutexify: " + e.getMessage());
            return ExitCodes.NOT_FOUND;
        }
        if (e instanceof MutexifyException mx) {
            err.println("mutexify: " + mx.getMessage() + (mx.status() > 0 ? " (" + mx.status() + " " + mx.code() + ")" : ""));
            return ExitCodes.ERROR;
        }
        if (e instanceof IllegalArgumentException) {
            err.println("mutexify: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        err.println("mutexify: unexpected failure: " + e);
        e.printStackTrace(err);
        return ExitCodes.ERROR;
    }

    /** An option that may come from the environment but must be there one way or the other. */
    static String require(CommandSpec spec, String value, String option, String env) {
        if (value == null || value.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "missing " + option + (env == null ? "" : " (or " + env + " in the environment)"));
        }
        return value;
    }
}
