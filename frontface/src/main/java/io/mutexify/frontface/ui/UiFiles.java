package io.mutexify.frontface.ui;

import io.mutexify.frontface.http.ApiResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web UI's static files, read from the classpath folder {@code ui/} of the frontface jar, so the
 * local server and the Azure Functions serve the very same bytes. {@code GET /} is {@code index.html};
 * {@code GET /ui/<name>} any other file. Names are one path segment of a fixed alphabet with a known
 * extension: no {@code ..}, no {@code %}-escapes, no sub-folders, so nothing outside {@code ui/} can be
 * named. Every answer carries a strict Content-Security-Policy; Google's sign-in origin is allowed only
 * when a Google client id is configured.
 */
public final class UiFiles {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}\\.[a-z0-9]{1,8}");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json; charset=utf-8",
            "txt", "text/plain; charset=utf-8");
    private static final String GIS = "https://accounts.google.com/gsi/";

    private final String folder;
    private final String csp;
    /** Only files that exist: a cached miss would let anyone grow the heap with made-up names. */
    private final Map<String, File> cache = new ConcurrentHashMap<>();
    /** The folder's file names, when it can be listed: other names are not looked up at all. */
    private final Optional<Set<String>> names;

    private record File(byte[] bytes, String type, String etag) {
    }

    /** {@code google}: whether Google sign-in is configured, so the page may load Google Identity Services. */
    public UiFiles(boolean google) {
        this("ui/", google);
    }

    UiFiles(String folder, boolean google) {
        this.folder = folder;
        this.csp = contentSecurityPolicy(google);
        this.names = UiFolder.list(folder, "index.html");
    }

    public String contentSecurityPolicy() {
        return csp;
    }

    static String contentSecurityPolicy(boolean google) {
        String g = google ? " " + GIS : "";
        String gClient = google ? " https://accounts.google.com/gsi/client" : "";
        return "default-src 'none'; script-src 'self'" + gClient + "; style-src 'self'" + g
                + "; img-src 'self' data:; connect-src 'self'" + g + "; frame-src" + (google ? g : " 'none'")
                + "; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    /**
     * The answer to {@code method path} ({@code method} GET or HEAD already; {@code ifNoneMatch} the
     * request's {@code If-None-Match}, may be null).
     */
    public ApiResponse serve(String method, String path, String ifNoneMatch) {
        if (!method.equals("GET")) {
            return secure(ApiResponse.error(405, "method_not_allowed", "this endpoint takes GET").withHeader("Allow", "GET"));
        }
        if (path.equals("/ui")) {
            return secure(ApiResponse.empty(308).withHeader("Location", "/ui/"));
        }
        // The page is at "/" and at "/ui/": an Azure Functions route cannot be the bare root.
        boolean page = path.equals("/") || path.equals("/ui/");
        String name = page ? "index.html" : path.substring("/ui/".length());
        if (!NAME.matcher(name).matches() || name.equals("index.html") && !page
                || names.isPresent() && !names.get().contains(name)) {
            return notFound();
        }
        File f = cache.get(name);
        if (f == null) {
            Optional<File> loaded = load(name);
            if (loaded.isEmpty()) {
                return notFound();
            }
            f = loaded.get();
            cache.putIfAbsent(name, f);
        }
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", f.type());
        h.put("ETag", f.etag());
        // index.html is checked every time (it names the other files); the rest may be reused briefly and revalidated.
        h.put("Cache-Control", name.equals("index.html") ? "no-cache" : "public, max-age=300, must-revalidate");
        if (ifNoneMatch != null && (ifNoneMatch.equals(f.etag()) || ifNoneMatch.equals("W/" + f.etag()))) {
            return secure(new ApiResponse(304, h, new byte[0]));
        }
        return secure(new ApiResponse(200, h, f.bytes()));
    }

    private ApiResponse notFound() {
        return secure(ApiResponse.error(404, "not_found", "no such file").withHeader("Cache-Control", "no-store"));
    }

    private ApiResponse secure(ApiResponse r) {
        return r.withHeader("Content-Security-Policy", csp)
                .withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("Referrer-Policy", "no-referrer")
                .withHeader("X-Frame-Options", "DENY");
    }

    private Optional<File> load(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        String type = TYPES.get(ext);
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = UiFiles.class.getClassLoader().getResourceAsStream(folder + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16) + "\"";
            return Optional.of(new File(bytes, type, etag));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
