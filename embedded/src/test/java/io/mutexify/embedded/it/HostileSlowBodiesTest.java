package io.mutexify.embedded.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients without credentials try to take the server down by holding its connections: bodies sent
 * a byte every few seconds, a Content-Length too big for an int, headers trickled in. A signed-in
 * client must go on being served, and /healthz must answer, throughout.
 */
class HostileSlowBodiesTest {
    private static final int ATTACKERS = 300;

    @TempDir
    Path dir;

    @Test
    void threeHundredSlowBodiesDoNotStopASignedInClient() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin"))) {
            TestHttp alice = server.as(SignIn.dev(server, "alice@example.com"));
            // The attackers come from other loopback addresses than the client (as they would from other hosts).
            List<Socket> attackers = new ArrayList<>();
            for (int i = 0; i < ATTACKERS; i++) {
                attackers.add(slowBody(server.url(), InetAddress.getByName("127.0.0." + (2 + i % 3)),
                        i % 2 == 0 ? "/api/v1/auth/dev" : "/api/v1/locks/slow-" + i));
            }
            AtomicBoolean attacking = new AtomicBoolean(true);
            Thread drip = new Thread(() -> drip(attackers, attacking), "hostile-drip");
            drip.start();

            List<Long> latenciesMs = Collections.synchronizedList(new ArrayList<>());
            List<String> healthFailures = new CopyOnWriteArrayList<>();
            HttpClient probe = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Thread health = new Thread(() -> {
                while (attacking.get()) {
                    try {
                        HttpResponse<String> r = probe.send(HttpRequest.newBuilder(server.url().resolve("/healthz"))
                                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            healthFailures.add("status " + r.statusCode());
                        }
                        Thread.sleep(250);
                    } catch (IOException e) {
                        healthFailures.add(e.toString());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "hostile-health");
            health.start();

            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int n = 0;
            long cutOff;
            try {
                while (System.nanoTime() < until) {
                    long t0 = System.nanoTime();
                    TestHttp.Res got = alice.post("/api/v1/locks/busy-" + (n % 4), "{\"timeout\":30}");
                    assertThat(got.status()).as("acquire %d: %s", n, got.text()).isEqualTo(200);
                    TestHttp.Res gone = alice.delete("/api/v1/locks/busy-" + (n % 4) + "/" + got.json().path("token").asText());
                    assertThat(gone.status()).isEqualTo(204);
                    latenciesMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                    n++;
                    Thread.sleep(20);
                }
                cutOff = attackers.stream().filter(HostileSlowBodiesTest::closedByServer).count();
            } finally {
                attacking.set(false);
                drip.interrupt();
                health.interrupt();
                drip.join();
                health.join();
                for (Socket s : attackers) {
                    s.close();
                }
            }

            List<Long> sorted = new ArrayList<>(latenciesMs);
            Collections.sort(sorted);
            long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
            System.out.printf("slow bodies: %d acquire+release rounds, p50 %d ms, p99 %d ms, max %d ms; %d of %d attackers cut off%n",
                    sorted.size(), sorted.get(sorted.size() / 2), p99, sorted.get(sorted.size() - 1), cutOff, ATTACKERS);
            assertThat(sorted.size()).as("acquire+release rounds in 20 s").isGreaterThan(20);
            assertThat(p99).as("p99 of acquire+release (ms) while %d slow bodies hang on; all: %s", ATTACKERS, sorted)
                    .isLessThan(1000);
            assertThat(healthFailures).as("/healthz while under attack").isEmpty();
            assertThat(cutOff).as("slow-body connections the server has closed").isEqualTo(ATTACKERS);
        }
    }

    @Test
    void aContentLengthAboveTwoToThe31IsRefusedAtOnce() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin"))) {
            for (String path : List.of("/api/v1/auth/dev", "/api/v1/locks/x")) {
                for (String length : List.of("99999999999", "2147483648", "99999999999999999999")) {
                    long t0 = System.nanoTime();
                    RawHttp.Res r = new RawHttp(server.url()).sendRaw(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Content-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n{")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    assertThat(r.status()).as("%s with Content-Length %s: %s", path, length, r.text()).isIn(413, 400);
                    if (length.length() < 19) {
                        assertThat(r.status()).isEqualTo(413);
                        assertThat(r.json().path("error").asText()).isEqualTo("body_too_large");
                    }
                    assertThat(ms).as("answered at once").isLessThan(2000);
                }
            }
        }
    }

    @Test
    void headersTrickledInAreCutOff() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("MUTEXIFY_AUTH", "signin"))) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", server.url().getPort()), 2000);
                OutputStream out = s.getOutputStream();
                out.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
                long t0 = System.nanoTime();
                boolean closed = false;
                // One header byte a second keeps Jetty's idle timeout happy for ever; the header deadline does not.
                for (int i = 0; i < 40 && !closed; i++) {
                    try {
                        out.write('X');
                        out.flush();
                        s.setSoTimeout(1000);
                        closed = s.getInputStream().read() < 0;
                    } catch (java.net.SocketTimeoutException stillOpen) {
                        // nothing yet
                    } catch (IOException reset) {
                        closed = true;
                    }
                }
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
                assertThat(closed).as("closed by the server").isTrue();
                assertThat(seconds).as("seconds until closed").isBetween(8L, 20L);
            }
        }
    }

    /** Connects from {@code from} and sends the head of a POST announcing 60000 bytes, then one byte. */
    private static Socket slowBody(URI server, InetAddress from, String path) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress("127.0.0.1", server.getPort()), 5000);
        s.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 60000\r\n\r\n{").getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    /** A byte every 4 s on every connection still open. */
    private static void drip(List<Socket> sockets, AtomicBoolean attacking) {
        while (attacking.get()) {
            try {
                Thread.sleep(4000);
            } catch (InterruptedException e) {
                return;
            }
            for (Socket s : sockets) {
                try {
                    s.getOutputStream().write(' ');
                    s.getOutputStream().flush();
                } catch (IOException closed) {
                    // the server hung up: that is the point
                }
            }
        }
    }

    /** Whether the server has answered and closed (or reset) this connection. */
    private static boolean closedByServer(Socket s) {
        try {
            s.setSoTimeout(3000);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            while (true) {
                if (in.read(buf) < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
