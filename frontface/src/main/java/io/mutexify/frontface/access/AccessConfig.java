package io.mutexify.frontface.access;

import io.mutexify.frontface.auth.GoogleIdTokens;
import io.mutexify.model.settings.SettingsReader;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Who may call the server and how often: the sign-in methods, administrators, the e-mail domain
 * allow-list, the rate limit and the browser origins, read the same way by every host.
 * {@link #local} holds the local server's decision what is on when nothing is configured: dev
 * sign-in on loopback, nothing but API keys elsewhere; {@link #cloud} never allows open access or
 * the dev sign-in, and needs Google.
 */
public record AccessConfig(
        boolean open,
        List<String> googleClientIds,
        URI googleCertsUrl,
        boolean devSignIn,
        Duration signInLifetime,
        List<String> admins,
        List<String> allowedDomains,
        int ratePerSecond,
        int rateBurst,
        List<String> corsOrigins) {

    public static final String GOOGLE_CLIENT_IDS = "MUTEXIFY_GOOGLE_CLIENT_IDS";
    /** The settings every host reads, with their defaults ("" = unset). */
    public static final Map<String, String> SETTINGS = orderedMap(
            GOOGLE_CLIENT_IDS, "",
            "MUTEXIFY_GOOGLE_CERTS_URL", GoogleIdTokens.DEFAULT_CERTS_URL,
            "MUTEXIFY_ALLOWED_DOMAINS", "",
            "MUTEXIFY_ADMINS", "",
            "MUTEXIFY_RATE_LIMIT_PER_SECOND", "1000",
            "MUTEXIFY_RATE_LIMIT_BURST", "2000",
            "MUTEXIFY_CORS_ORIGINS", "");
    /** Read only by the local server: open mode and the dev sign-in exist nowhere else. */
    public static final Map<String, String> LOCAL_SETTINGS = orderedMap(
            "MUTEXIFY_AUTH", "signin",
            "MUTEXIFY_DEV_SIGNIN", "auto",
            "MUTEXIFY_SESSION_HOURS", "12");
    private static final Pattern ORIGIN = Pattern.compile("https?://[^/\\s]+");

    public AccessConfig {
        googleClientIds = List.copyOf(googleClientIds);
        admins = List.copyOf(admins);
        allowedDomains = List.copyOf(allowedDomains);
        corsOrigins = List.copyOf(corsOrigins);
    }

    /** Whether anyone can sign in at all (API keys need a signed-in person to make them). */
    public boolean anySignIn() {
        return open || devSignIn || !googleClientIds.isEmpty();
    }

    /** The local server's access, listening on {@code host}; a combination that makes no sense fails naming the setting. */
    public static AccessConfig local(SettingsReader r, String host) {
        boolean open = r.choice("MUTEXIFY_AUTH", "signin", "open").equals("open");
        List<String> google = r.list(GOOGLE_CLIENT_IDS);
        String dev = r.choice("MUTEXIFY_DEV_SIGNIN", "auto", "true", "false");
        boolean loopback = isLoopback(host);
        if (open && !loopback) {
            throw new IllegalArgumentException("MUTEXIFY_AUTH=open lets every caller act as administrator; it needs"
                    + " MUTEXIFY_HOST on loopback (127.0.0.1, ::1 or localhost), not '" + host + "'");
        }
        if (open && (!google.isEmpty() || dev.equals("true"))) {
            throw new IllegalArgumentException("MUTEXIFY_AUTH=open means no sign-in: unset MUTEXIFY_GOOGLE_CLIENT_IDS"
                    + " and MUTEXIFY_DEV_SIGNIN");
        }
        if (dev.equals("true") && !google.isEmpty()) {
            throw new IllegalArgumentException("MUTEXIFY_DEV_SIGNIN=true is for servers without Google sign-in;"
                    + " unset it or MUTEXIFY_GOOGLE_CLIENT_IDS");
        }
        // The default: on loopback only people on this machine can reach the server, and they
        // could run it in open mode anyway; elsewhere nobody may claim an identity unchecked.
        boolean devOn = !open && (dev.equals("true") || (dev.equals("auto") && google.isEmpty() && loopback));
        if (devOn && !loopback && !lower(r.list("MUTEXIFY_ADMINS")).isEmpty()) {
            throw new IllegalArgumentException("MUTEXIFY_DEV_SIGNIN=true on '" + host + "' would let anyone who reaches"
                    + " the server sign in as an administrator named in MUTEXIFY_ADMINS; unset one of them, or listen on loopback");
        }
        return shared(r, open, devOn, Duration.ofHours(r.integer("MUTEXIFY_SESSION_HOURS", 1, 24 * 30)));
    }

    /**
     * A cloud host's access (the Azure Frontface): Google ID tokens and API keys only. Anyone can
     * reach it, so there is no open mode and no dev sign-in, and without a Google client id nobody
     * could ever sign in: that refuses to start.
     */
    public static AccessConfig cloud(SettingsReader r) {
        if (r.list(GOOGLE_CLIENT_IDS).isEmpty()) {
            throw new IllegalArgumentException(GOOGLE_CLIENT_IDS + " is not set: people sign in with Google here;"
                    + " create an OAuth client id (type Web application) and set it (see docs/azure.md)");
        }
        return shared(r, false, false, Duration.ZERO);
    }

    private static AccessConfig shared(SettingsReader r, boolean open, boolean devOn, Duration signInLifetime) {
        List<String> google = r.list(GOOGLE_CLIENT_IDS);
        int rate = r.integer("MUTEXIFY_RATE_LIMIT_PER_SECOND", 0, 1_000_000);
        int burst = r.integer("MUTEXIFY_RATE_LIMIT_BURST", 1, 10_000_000);
        List<String> origins = r.list("MUTEXIFY_CORS_ORIGINS");
        for (String o : origins) {
            if (!ORIGIN.matcher(o).matches()) {
                throw new IllegalArgumentException("MUTEXIFY_CORS_ORIGINS holds '" + o
                        + "', not an origin like https://ui.example.com (scheme and host, no path)");
            }
        }
        return new AccessConfig(open, google, uri(r, "MUTEXIFY_GOOGLE_CERTS_URL"), devOn, signInLifetime,
                lower(r.list("MUTEXIFY_ADMINS")), lower(r.list("MUTEXIFY_ALLOWED_DOMAINS")), rate, burst, origins);
    }

    private static URI uri(SettingsReader r, String name) {
        List<URI> u = r.uris(name);
        if (u.size() != 1) {
            throw new IllegalArgumentException(name + " must be one http(s) URL");
        }
        return u.get(0);
    }

    private static List<String> lower(List<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Literal loopback addresses and {@code localhost}; a host name is never resolved to decide. */
    public static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress(); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
