package io.mutexify.embedded.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mutexify.model.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The campaign's webhook receiver: records every CloudEvent POST and, while faulty, answers some
 * with 500 or 503 and lets some hang — mostly for a few seconds, now and then past the sender's
 * 10 s timeout so the event is sent again.
 */
final class FlakyWebhook implements AutoCloseable {
    private static final long LONG_HANG_MS = 11_000;
    private static final long LONG_HANG_EVERY_MS = 40_000;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "campaign-webhook");
        t.setDaemon(true);
        return t;
    });
    private final Random random;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private volatile boolean faulty = true;
    private volatile long lastLongHang = System.nanoTime();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger hung = new AtomicInteger();

    FlakyWebhook(long seed) throws IOException {
        random = new Random(seed);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
    }

    /** From now on every event is accepted at once. */
    void heal() {
        faulty = false;
    }

    List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestMethod().equals("OPTIONS")) {
                exchange.getResponseHeaders().add("WebHook-Allowed-Origin", "*");
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            JsonNode event = Json.mapper().readTree(body);
            int status = 200;
            if (faulty) {
                double r;
                synchronized (random) {
                    r = random.nextDouble();
                }
                if (r < 0.08) {
                    status = r < 0.04 ? 500 : 503;
                    failed.incrementAndGet();
                } else if (r < 0.11) {
                    hung.incrementAndGet();
                    Thread.sleep(hangMillis());
                }
            }
            deliveries.add(new Delivery(event.path("id").asText(), event, status == 200));
            exchange.sendResponseHeaders(status, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException senderGone) {
            // a sender that timed out closed the connection; it sends the event again
        }
    }

    /** A few seconds; past the sender's timeout at most once per {@link #LONG_HANG_EVERY_MS}. */
    private long hangMillis() {
        long now = System.nanoTime();
        synchronized (random) {
            if ((now - lastLongHang) / 1_000_000 > LONG_HANG_EVERY_MS) {
                lastLongHang = now;
                return LONG_HANG_MS;
            }
            return 1000 + random.nextInt(2500);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
