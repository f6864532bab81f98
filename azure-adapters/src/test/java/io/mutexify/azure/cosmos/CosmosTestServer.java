package io.mutexify.azure.cosmos;

import com.azure.cosmos.CosmosAsyncClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The npm package {@code @vercel/cosmosdb-server@1.0.1}, a Cosmos DB protocol peer, started once per
 * test run on a free port (through {@code start.js}, which fixes its 500-for-404 on missing
 * documents) and stopped when the run ends. Test classes use it with
 * {@code @ExtendWith(CosmosTestServer.class)}. It fails, never skips, when it cannot start: the
 * package is installed by {@code ./test.sh} into {@code .cache/cosmosdb-server}.
 */
public final class CosmosTestServer implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {
    /** The well-known emulator key; the test server accepts any. */
    static final String KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";
    static final String PACKAGE = "@vercel/cosmosdb-server";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static volatile CosmosTestServer running;

    static {
        // Read by the SDK when it loads: the test server's certificate is self-signed.
        System.setProperty("COSMOS.EMULATOR_SERVER_CERTIFICATE_VALIDATION_DISABLED", "true");
    }

    private Process process;
    private String endpoint;
    private CosmosAsyncClient client;

    @Override
    public void beforeAll(ExtensionContext context) {
        running = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(CosmosTestServer.class, k -> start(), CosmosTestServer.class);
    }

    /** The server of this run; only inside a class extended with this. */
    static CosmosTestServer get() {
        if (running == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(CosmosTestServer.class)");
        }
        return running;
    }

    /** Settings for a database of its own, so every store starts empty. */
    CosmosSettings freshSettings() {
        return new CosmosSettings(endpoint, KEY, "test-" + DATABASES.incrementAndGet(), "slots");
    }

    /** One client for the whole run: building one costs a second. */
    CosmosAsyncClient client() {
        return client;
    }

    private static CosmosTestServer start() {
        CosmosTestServer server = new CosmosTestServer();
        server.launch();
        return server;
    }

    private void launch() {
        Path packageDir = packageDir();
        Path script = script();
        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder(List.of("node", script.toString(), packageDir.toString(),
                "--port", Integer.toString(port), "--host", "127.0.0.1"));
        pb.redirectErrorStream(true);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run node (is Node.js installed?): " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopProcess, "cosmos-test-server-stop"));
        BlockingQueue<String> ready = new ArrayBlockingQueue<>(1);
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (output) {
                        if (output.length() < 20_000) {
                            output.append(line).append('\n');
                        }
                    }
                    if (line.startsWith("Ready to accept")) {
                        ready.offer(line);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "cosmos-test-server-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (ready.poll(30, TimeUnit.SECONDS) == null) {
                stopProcess();
                synchronized (output) {
                    throw new IllegalStateException("the Cosmos DB test server did not start within 30 s:\n" + output);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopProcess();
            throw new IllegalStateException("interrupted while starting the Cosmos DB test server", e);
        }
        endpoint = "https://127.0.0.1:" + port;
        client = CosmosClients.build(new CosmosSettings(endpoint, KEY, "unused", "unused"));
    }

    /** Where ./test.sh installs the package; overridable with -Dmutexify.cosmosServerDir. */
    private static Path packageDir() {
        String configured = System.getProperty("mutexify.cosmosServerDir");
        Path base = configured != null ? Paths.get(configured)
                : Paths.get("").toAbsolutePath().resolveSibling(".cache").resolve("cosmosdb-server");
        Path dir = base.resolve("node_modules").resolve(PACKAGE);
        if (!Files.isRegularFile(dir.resolve("lib").resolve("cli.js"))) {
            throw new IllegalStateException(PACKAGE + " is not installed in " + base.toAbsolutePath()
                    + ": run ./test.sh, or npm install --prefix " + base.toAbsolutePath() + " " + PACKAGE + "@1.0.1");
        }
        return dir.toAbsolutePath();
    }

    private static Path script() {
        try {
            return Paths.get(CosmosTestServer.class.getResource("/cosmos-server/start.js").toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("start.js is missing from the test resources", e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        stopProcess();
        running = null;
    }

    private synchronized void stopProcess() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
