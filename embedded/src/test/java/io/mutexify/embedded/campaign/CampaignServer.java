package io.mutexify.embedded.campaign;

import io.mutexify.embedded.it.ServerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The server under test: one real process on one data folder and one port, which the campaign
 * kills (SIGKILL), starts again, pauses (SIGSTOP) and resumes (SIGCONT).
 */
final class CampaignServer implements AutoCloseable {
    /** Small heap, one GC thread, C1 only: the server shares two busy cores with the clients. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final Path data;
    private final Path logDir;
    private final Map<String, String> env;
    private final int port;
    private ServerProcess process;
    private boolean paused;
    private int starts;

    CampaignServer(Path data, Path logDir, Map<String, String> env) throws IOException {
        this.data = data;
        this.logDir = logDir;
        this.env = Map.copyOf(env);
        this.port = portBelowEphemeralRange();
    }

    /**
     * A free port below the range the kernel hands out to outgoing connections (32768 and up on
     * Linux), so none of the many client connections can sit on it while the server restarts.
     */
    private static int portBelowEphemeralRange() throws IOException {
        Random random = new Random();
        for (int i = 0; i < 100; i++) {
            int candidate = 20_000 + random.nextInt(12_000);
            try (ServerSocket s = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        return ServerProcess.freePort();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    synchronized void start() throws IOException, InterruptedException {
        starts++;
        process = ServerProcess.start(data, logDir.resolve("server-" + starts + ".log"), env, port, JVM_OPTIONS);
        paused = false;
    }

    /** SIGKILL: no shutdown hook, no store close, no queue drain. */
    synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.process().destroyForcibly();
            process.process().waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    synchronized void pause() throws IOException, InterruptedException {
        signal("STOP");
        paused = true;
    }

    synchronized void resume() throws IOException, InterruptedException {
        signal("CONT");
        paused = false;
    }

    /** Resumed and running, whatever the last fault left behind. */
    synchronized void ensureRunning() throws IOException, InterruptedException {
        if (process != null && paused) {
            resume();
        }
        if (process == null || !process.process().isAlive()) {
            start();
        }
    }

    /** SIGTERM and wait for a clean stop, so the store can be read; SIGKILL if that takes too long. */
    synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.process().destroy();
            if (!process.process().waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
            process = null;
        }
    }

    private void signal(String name) throws IOException, InterruptedException {
        if (process == null) {
            return;
        }
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.process().pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + name + " failed");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && paused) {
            try {
                resume();
            } catch (IOException e) {
                // SIGKILL below ends it either way
            }
        }
        kill();
    }
}
