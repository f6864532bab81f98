package io.mutexify.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs one loop per client thread, each with its own driver, and waits for all of them. */
final class Clients {
    /** One client's work; it returns when the scenario's time is up. */
    interface Loop {
        void run(int client, Driver driver) throws Exception;
    }

    private Clients() {
    }

    static void run(int clients, Driver.Factory drivers, Loop loop) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int client = i;
                running.add(pool.submit(() -> {
                    try (Driver driver = drivers.open()) {
                        loop.run(client, driver);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
