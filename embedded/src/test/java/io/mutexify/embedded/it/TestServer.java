package io.mutexify.embedded.it;

import io.mutexify.embedded.EmbeddedMutexify;
import io.mutexify.embedded.config.EmbeddedConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A real embedded server for HTTP tests: loopback, a free port, a data folder of the test's choosing. */
public final class TestServer implements AutoCloseable {
    private final EmbeddedMutexify server;
    private final TestHttp http;
    private boolean closed;

    private TestServer(EmbeddedMutexify server) {
        this.server = server;
        this.http = new TestHttp(server.url());
    }

    /**
     * Starts on {@code dataDir} with the defaults plus {@code env} (MUTEXIFY_* names). Unless
     * {@code env} says otherwise the server runs in open mode (every caller the administrator
     * {@code anonymous}): the lock and slot semantics are tested without sign-in, the sign-in and
     * access tests ask for {@code MUTEXIFY_AUTH=signin}.
     * The process environment is never read: only {@code env} and these defaults configure the server.
     */
    public static TestServer start(Path dataDir, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("MUTEXIFY_AUTH", "open");
        all.putIfAbsent("MUTEXIFY_PORT", "0");
        all.putIfAbsent("MUTEXIFY_DATA_DIR", dataDir.toString());
        return new TestServer(EmbeddedMutexify.start(EmbeddedConfig.from(all::get)));
    }

    public static TestServer start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    public URI url() {
        return server.url();
    }

    public TestHttp http() {
        return http;
    }

    /** A client that sends {@code Authorization: Bearer <token>} on every call. */
    public TestHttp as(String token) {
        return http.withToken(token);
    }

    /** Stops the server; a second call does nothing (a test may stop it early and close it again). */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.close();
        }
    }
}
