package io.mutexify.embedded.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server as a separate JVM ({@code io.mutexify.embedded.Main} on the test class path), for
 * tests that must really kill or signal it. Output goes to {@code log}.
 */
public record ServerProcess(Process process, URI url, Path log, TestHttp http) implements AutoCloseable {

    /** Starts a server on {@code data} with {@code env} added, and waits until it is ready. */
    public static ServerProcess start(Path data, Path log, Map<String, String> env) throws IOException, InterruptedException {
        return start(data, log, env, freePort(), List.of());
    }

    /**
     * As {@link #start(Path, Path, Map)}, on a given {@code port} and with extra JVM options: a
     * server restarted on the same port keeps its clients' address.
     */
    public static ServerProcess start(Path data, Path log, Map<String, String> env, int port, List<String> jvmOptions)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.mutexify.embedded.Main"));
        ProcessBuilder pb = new ProcessBuilder(command);
        // A clean MUTEXIFY_* environment: only what the test sets, never the settings of the shell that runs the build.
        pb.environment().keySet().removeIf(name -> name.startsWith("MUTEXIFY_"));
        pb.environment().put("MUTEXIFY_HOST", "127.0.0.1");
        pb.environment().put("MUTEXIFY_PORT", Integer.toString(port));
        pb.environment().put("MUTEXIFY_DATA_DIR", data.toString());
        // Open mode unless the test says otherwise, like TestServer: these tests are about durability, not sign-in.
        pb.environment().put("MUTEXIFY_AUTH", "open");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        URI url = URI.create("http://127.0.0.1:" + port);
        ServerProcess server = new ServerProcess(p, url, log, new TestHttp(url));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (!p.isAlive()) {
                throw new AssertionError("server exited with " + p.exitValue() + " before it was ready:\n" + server.output());
            }
            try {
                if (server.http.get("/readyz").status() == 200) {
                    return server;
                }
            } catch (UncheckedIOException notListeningYet) {
                // keep waiting
            }
            if (System.nanoTime() > deadline) {
                server.close();
                throw new AssertionError("server not ready within 30 s:\n" + server.output());
            }
            Thread.sleep(25);
        }
    }

    /** Everything the server printed so far. */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** SIGKILL, and wait for it to be gone. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A port nothing listens on right now. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
