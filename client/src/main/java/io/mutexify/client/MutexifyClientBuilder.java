package io.mutexify.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Settings for a {@link MutexifyClient}. Defaults: connect timeout 5 s, request timeout 30 s
 * (plus any wait), 3 retries from 200 ms backoff, loss margin 1 s, default wait 60 s.
 */
public final class MutexifyClientBuilder {
    /** The server {@link #fromEnvironment()} and the CLI use when {@code MUTEXIFY_URL} is not set. */
    public static final String DEFAULT_URL = "http://127.0.0.1:8080";

    private URI baseUrl;
    private Supplier<String> bearer;
    private String owner = OwnerLabel.hostAndPid();
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private RetryPolicy retries = RetryPolicy.DEFAULT;
    private Duration lossMargin = Duration.ofSeconds(1);
    private Duration defaultWait = Duration.ofSeconds(60);
    private HttpClient httpClient;

    MutexifyClientBuilder() {
    }

    /** What {@link #build()} hands the client. */
    record Settings(URI baseUrl, Supplier<String> bearer, String owner, Duration connectTimeout, Duration requestTimeout,
                    RetryPolicy retries, Duration lossMargin, Duration defaultWait, HttpClient httpClient) {
    }

    /** The server, e.g. {@code http://127.0.0.1:8080} (a path prefix is kept). Required. */
    public MutexifyClientBuilder baseUrl(URI url) {
        String scheme = url.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("the base URL must be http or https: " + url);
        }
        this.baseUrl = url;
        return this;
    }

    /** The server, e.g. {@code http://127.0.0.1:8080}. Required. */
    public MutexifyClientBuilder baseUrl(String url) {
        return baseUrl(URI.create(url));
    }

    /** Sends {@code Authorization: Bearer <apiKey>}; null or empty sends nothing. */
    public MutexifyClientBuilder apiKey(String apiKey) {
        return bearerToken(apiKey);
    }

    /** Sends {@code Authorization: Bearer <token>} (for example a Google ID token); null or empty sends nothing. */
    public MutexifyClientBuilder bearerToken(String token) {
        this.bearer = token == null || token.isEmpty() ? null : () -> token;
        return this;
    }

    /** Asks {@code tokens} for the bearer token before every request, so short-lived tokens can be refreshed. */
    public MutexifyClientBuilder bearerToken(Supplier<String> tokens) {
        this.bearer = tokens;
        return this;
    }

    /** The default {@code owner} label of locks (host, job id); default {@code host:pid}, null leaves it to the server (the principal). */
    public MutexifyClientBuilder owner(String owner) {
        this.owner = owner;
        return this;
    }

    /** How long opening a connection may take. */
    public MutexifyClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = positive(timeout, "connectTimeout");
        return this;
    }

    /** How long one attempt of a call may take (an acquire's wait is added). */
    public MutexifyClientBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = positive(timeout, "requestTimeout");
        return this;
    }

    /** Retries after the first attempt for transport errors, 5xx, 429 and 503; 0 turns them off. */
    public MutexifyClientBuilder maxRetries(int retries) {
        this.retries = this.retries.withMaxRetries(retries);
        return this;
    }

    /** The first retry's pause; it doubles per retry up to 5 s, with jitter. A {@code Retry-After} overrides it. */
    public MutexifyClientBuilder retryBackoff(Duration backoff) {
        this.retries = this.retries.withBackoff(backoff);
        return this;
    }

    /**
     * How long before its safe deadline a lease that could not be renewed is declared lost, so
     * the application has that long to stop before the lock can end on the server. Capped at a
     * quarter of each lease's time to live. Default 1 s.
     */
    public MutexifyClientBuilder lossMargin(Duration margin) {
        if (margin.isNegative()) {
            throw new IllegalArgumentException("lossMargin must not be negative");
        }
        this.lossMargin = margin;
        return this;
    }

    /** How long {@link MutexifyClient#withLock(String, Duration, LockedAction)} waits for the lock. Default 60 s. */
    public MutexifyClientBuilder defaultWait(Duration wait) {
        if (wait.isNegative()) {
            throw new IllegalArgumentException("defaultWait must not be negative");
        }
        this.defaultWait = wait;
        return this;
    }

    /** Uses this HttpClient (for TLS or proxy settings) instead of the client's own. */
    public MutexifyClientBuilder httpClient(HttpClient client) {
        this.httpClient = client;
        return this;
    }

    /**
     * Reads {@code MUTEXIFY_URL} (default {@value #DEFAULT_URL}, as the CLI), {@code MUTEXIFY_API_KEY}
     * and {@code MUTEXIFY_OWNER} from the environment.
     */
    public MutexifyClientBuilder fromEnvironment() {
        String url = System.getenv("MUTEXIFY_URL");
        baseUrl(url != null && !url.isEmpty() ? url : DEFAULT_URL);
        String ownerLabel = System.getenv("MUTEXIFY_OWNER");
        if (ownerLabel != null && !ownerLabel.isEmpty()) {
            owner(ownerLabel);
        }
        String key = System.getenv("MUTEXIFY_API_KEY");
        if (key != null && !key.isEmpty()) {
            apiKey(key);
        }
        return this;
    }

    /** A client with these settings; fails if no base URL was set. */
    public MutexifyClient build() {
        Objects.requireNonNull(baseUrl, "baseUrl is required");
        return new MutexifyClient(new Settings(baseUrl, bearer, owner, connectTimeout, requestTimeout, retries, lossMargin,
                defaultWait, httpClient));
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }
}
