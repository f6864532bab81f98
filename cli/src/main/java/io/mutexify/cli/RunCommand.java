package io.mutexify.cli;

import io.mutexify.client.Lease;
import io.mutexify.client.LeaseEnd;
import io.mutexify.client.MutexifyClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mutexify run}: holds a lock while a command runs. The lease renews itself; if it is lost,
 * the command gets SIGTERM at once and SIGKILL after the grace period. The lease is declared lost
 * up to {@code --grace} (at most a quarter of the TTL) before its safe deadline, so a command that
 * stops on SIGTERM is gone before the lock can end on the server.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
            "Holds a lock while COMMAND runs, renewing it.",
            "Waits for the lock, gives COMMAND the environment MUTEXIFY_SLOT, MUTEXIFY_FENCE and MUTEXIFY_TOKEN "
                + "(and MUTEXIFY_UNIT, the unit it got, on a pool with named units), renews the lock while COMMAND runs, releases it when COMMAND exits, and exits with COMMAND's exit code.",
            "If the lock is lost (broken by an owner, or not renewable before its deadline), COMMAND and its "
                + "children get SIGTERM at once and SIGKILL after --grace, and run exits 76. The loss is declared "
                + "up to --grace (at most a quarter of --ttl) before the lock could end on the server. Exits 75 if "
                + "the lock is not acquired within --wait, 127/126 if COMMAND cannot be found/executed. "
                + "Put -- before COMMAND."})
final class RunCommand extends ServerCommand {
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    /** On a signal, how long the command may take to stop before SIGKILL, and the release after it: within 5 s in all. */
    private static final Duration SIGNAL_STOP_WAIT = Duration.ofMillis(1500);
    private static final Duration SIGNAL_RELEASE_WAIT = Duration.ofMillis(2500);

    @Mixin
    LockRequestOptions lock;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "The lock's time to live; it is renewed every third of it (default: ${DEFAULT-VALUE}).")
    Duration ttl;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "0s", converter = DurationConverter.class,
            description = "How long to wait for the lock (default: ${DEFAULT-VALUE}, fail at once with 75).")
    Duration wait;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "After SIGTERM, how long COMMAND may take to stop before SIGKILL (default: ${DEFAULT-VALUE}).")
    Duration grace;

    @Option(names = {"-v", "--verbose"}, description = "Say on stderr when the lock is acquired and released.")
    boolean verbose;

    @Parameters(index = "0..*", arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments.")
    List<String> command;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        MutexifyClient client = connection.client(grace);
        AtomicBoolean signalled = new AtomicBoolean();
        try {
            Lease lease = WaitingAcquire.acquire(client, lock.request(ttl, wait), err);
            say(err, "acquired " + lock.slot + (lease.unit() == null ? "" : " unit " + lease.unit())
                    + " (fence " + lease.fence() + ")");
            ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
            Map<String, String> env = pb.environment();
            env.put("MUTEXIFY_SLOT", lock.slot);
            env.put("MUTEXIFY_FENCE", Long.toString(lease.fence()));
            env.put("MUTEXIFY_TOKEN", lease.token());
            if (lease.unit() != null) {
                env.put("MUTEXIFY_UNIT", lease.unit());
            } else {
                env.remove("MUTEXIFY_UNIT"); // never one inherited from an outer run
            }
            Process child;
            try {
                child = pb.start();
            } catch (IOException e) {
                lease.close();
                err.println("mutexify: cannot run " + command.get(0) + ": " + e.getMessage());
                err.flush();
                String m = String.valueOf(e.getMessage());
                return m.contains("error=13") ? ExitCodes.CANNOT_EXECUTE : ExitCodes.COMMAND_NOT_FOUND;
            }
            // Told to stop (SIGTERM, Ctrl-C): stop the command and give the lock back, each within a
            // bound, so the JVM exits (143/130) within seconds whatever the command or the server does.
            Thread onSignal = new Thread(() -> {
                signalled.set(true);
                if (child.isAlive()) {
                    stop(child, err, min(grace, SIGNAL_STOP_WAIT));
                }
                releaseWithin(lease, SIGNAL_RELEASE_WAIT, err);
            }, "mutexify-run-shutdown");
            Runtime.getRuntime().addShutdownHook(onSignal);
            try {
                return supervise(child, lease, err, signalled);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(onSignal);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it stops the command and releases the lock
                }
            }
        } finally {
            // While the hook releases, its call must keep the client's threads: closing them under
            // it is what made a stopped run hang in HttpClient.send. The JVM is exiting anyway.
            if (!signalled.get()) {
                client.close();
            }
        }
    }

    /** Releases on a thread of its own and waits at most {@code max}: a server that does not answer must not hold the exit. */
    private void releaseWithin(Lease lease, Duration max, PrintWriter err) {
        Thread releaser = new Thread(lease::close, "mutexify-run-release");
        releaser.setDaemon(true);
        releaser.start();
        try {
            releaser.join(max.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (releaser.isAlive()) {
            err.println("mutexify: could not release " + lock.slot + " within " + max.toMillis() + " ms; it ends when it expires");
        } else {
            say(err, "released " + lock.slot + " on signal");
        }
        err.flush();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private int supervise(Process child, Lease lease, PrintWriter err, AtomicBoolean signalled) {
        CompletableFuture.anyOf(child.onExit(), lease.ended()).join();
        if (signalled.get()) {
            // The shutdown hook owns the ending; the JVM's exit status (128 + signal) is what counts.
            return ExitCodes.LOCK_LOST;
        }
        if (!child.isAlive()) {
            int code = child.exitValue();
            LeaseEnd end = lease.ended().getNow(null);
            if ((end != null && end.isLoss()) || !lease.isValid()) {
                err.println("mutexify: the lock on " + lock.slot + " was lost before the command finished"
                        + (end == null ? "" : " (" + end + ")") + "; its exit code was " + code);
                err.flush();
                lease.close();
                return ExitCodes.LOCK_LOST;
            }
            lease.close();
            say(err, "released " + lock.slot + "; command exited " + code);
            return code;
        }
        LeaseEnd end = lease.ended().join();
        if (!end.isLoss()) {
            // Released by the shutdown hook: mutexify is being stopped; the hook stops the command.
            return ExitCodes.LOCK_LOST;
        }
        err.println("mutexify: lost the lock on " + lock.slot + " (" + end + "); stopping the command");
        err.flush();
        stop(child, err, grace);
        return ExitCodes.LOCK_LOST;
    }

    /** SIGTERM to the command and its descendants; SIGKILL to whatever is left after the grace period. */
    private void stop(Process child, PrintWriter err, Duration grace) {
        List<ProcessHandle> family = new ArrayList<>(child.descendants().toList());
        family.add(0, child.toHandle());
        family.forEach(ProcessHandle::destroy);
        long until = System.nanoTime() + grace.toNanos();
        for (ProcessHandle p : family) {
            try {
                p.onExit().get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                break; // the grace period is over
            } catch (java.util.concurrent.ExecutionException e) {
                // cannot happen for onExit; treat as gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<ProcessHandle> left = family.stream().filter(ProcessHandle::isAlive).toList();
        if (!left.isEmpty()) {
            err.println("mutexify: the command did not stop within " + grace.toMillis() + " ms of SIGTERM; sending SIGKILL");
            err.flush();
            left.forEach(ProcessHandle::destroyForcibly);
            try {
                child.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void say(PrintWriter err, String message) {
        if (verbose) {
            err.println("mutexify: " + message);
            err.flush();
        }
    }
}
