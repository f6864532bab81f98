package io.mutexify.frontface.auth;

import com.sun.net.httpserver.HttpServer;
import io.mutexify.model.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A stand-in for Google's ID-token signing: a local RSA key whose self-signed certificate is served
 * on 127.0.0.1 in the format of https://www.googleapis.com/oauth2/v1/certs ({@code {kid: PEM}}),
 * and a minter of RS256 JWTs signed with that key (or any other).
 */
public final class LocalGoogle implements AutoCloseable {
    public static final String KID = "test-key-1";
    public static final String CLIENT_ID = "client-1.apps.googleusercontent.com";

    private final KeyPair key = rsa();
    private final HttpServer server;

    public LocalGoogle() {
        String certs = Json.write(Map.of(KID, pem(key)));
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/oauth2/v1/certs", exchange -> {
            byte[] body = certs.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
            exchange.getResponseHeaders().add("Cache-Control", "public, max-age=3600");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** The certificate URL to configure as MUTEXIFY_GOOGLE_CERTS_URL. */
    public String certsUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/oauth2/v1/certs";
    }

    /** The claims of a good token for {@code email}, issued now and valid for an hour; tests change one. */
    public static Map<String, Object> claims(String email) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", "https://accounts.google.com");
        c.put("aud", CLIENT_ID);
        c.put("azp", CLIENT_ID);
        c.put("sub", "1" + Math.abs(email.hashCode()));
        c.put("email", email);
        c.put("email_verified", true);
        // A Google Workspace account: its domain is the hosted domain (consumer accounts have no hd).
        c.put("hd", email.substring(email.indexOf('@') + 1).toLowerCase(java.util.Locale.ROOT));
        c.put("iat", now);
        c.put("exp", now + 3600);
        return c;
    }

    public static Map<String, Object> header(String alg) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("alg", alg);
        h.put("kid", KID);
        h.put("typ", "JWT");
        return h;
    }

    /** A token signed with the served key. */
    public String mint(Map<String, Object> claims) {
        return mint(header("RS256"), claims, key.getPrivate());
    }

    public static String mint(Map<String, Object> header, Map<String, Object> claims, PrivateKey signer) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signed = b64.encodeToString(Json.writeBytes(header)) + "." + b64.encodeToString(Json.writeBytes(claims));
        if (signer == null) {
            return signed + ".";
        }
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(signer);
            s.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + b64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(KeyPair key) {
        try {
            X500Name name = new X500Name("CN=local-google-test");
            Instant now = Instant.now();
            var cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                    name, BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(3600)),
                    Date.from(now.plusSeconds(86_400)), name, key.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate())));
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the test certificate", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
