package io.mutexify.azure.eventgrid;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.mutexify.model.json.Json;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A stand-in Event Grid topic: HTTPS on loopback with a self-signed certificate made by keytool
 * for {@code localhost} and {@code 127.0.0.1}. It answers the first {@code failures} requests 500,
 * then 200, and records every accepted CloudEvent and the key header it came with.
 */
final class HttpsReceiver implements AutoCloseable {
    private static final char[] PASSWORD = "changeit".toCharArray();
    final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
    final List<String> keys = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger failuresLeft = new AtomicInteger();
    private final HttpsServer server;
    private final X509Certificate certificate;

    HttpsReceiver(Path dir) throws Exception {
        Path store = dir.resolve("receiver.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "receiver", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        certificate = (X509Certificate) ks.getCertificate("receiver");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.createContext("/api/events", ex -> {
            requests.incrementAndGet();
            byte[] body = ex.getRequestBody().readAllBytes();
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                ex.sendResponseHeaders(500, -1);
                ex.close();
                return;
            }
            keys.add(String.valueOf(ex.getRequestHeaders().getFirst("aeg-sas-key")));
            JsonNode events = Json.mapper().readTree(body);
            events.forEach(accepted::add);
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
    }

    String endpoint() {
        return "https://localhost:" + server.getAddress().getPort() + "/api/events";
    }

    X509Certificate certificate() {
        return certificate;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
