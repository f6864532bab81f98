package io.mutexify.embedded;

import io.mutexify.embedded.config.EmbeddedConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the embedded default: one JVM, no cloud account, configured by {@code MUTEXIFY_*} variables. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        OneLinePrintStream.install();
        EmbeddedConfig config;
        try {
            config = EmbeddedConfig.fromEnvironment();
        } catch (IllegalArgumentException e) {
            System.err.println("mutexify: " + e.getMessage());
            System.exit(2);
            return;
        }
        EmbeddedMutexify server = EmbeddedMutexify.start(config);
        // SIGTERM and Ctrl-C run this hook: finish in-flight commands, then close the store.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "mutexify-shutdown"));
        log.info("Mutexify is running at {}  (data in {})", server.url(), config.dataDir().toAbsolutePath());
        System.out.println("Mutexify is running at " + server.url());
        System.out.print(SignInHelp.text(server.url(), config.access()));
    }
}
