package io.mutexify.azure.cosmos;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where the Cosmos DB slot store lives, read from environment variables (on Azure Functions: app
 * settings). Without {@code COSMOS_KEY} the store signs in with {@code DefaultAzureCredential}
 * (managed identity on Azure; {@code AZURE_CLIENT_ID} picks a user-assigned one).
 *
 * @param endpoint  the account endpoint, e.g. {@code https://myaccount.documents.azure.com:443/}
 * @param key       an account key, or null to use {@code DefaultAzureCredential}
 * @param database  the database name
 * @param container the container name; its partition key path is {@code /pk}
 */
public record CosmosSettings(String endpoint, String key, String database, String container) {
    public static final String ENDPOINT = "COSMOS_ENDPOINT";
    public static final String KEY = "COSMOS_KEY";
    public static final String DATABASE = "COSMOS_DATABASE";
    public static final String CONTAINER = "COSMOS_CONTAINER";
    /** Every setting this adapter reads, for checks that the deployment files list them all. */
    public static final List<String> SETTING_NAMES = List.of(ENDPOINT, KEY, DATABASE, CONTAINER);
    public static final String DEFAULT_DATABASE = "mutexify";
    public static final String DEFAULT_CONTAINER = "slots";

    public CosmosSettings {
        Objects.requireNonNull(endpoint, ENDPOINT);
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(ENDPOINT + " is not a URL: " + endpoint, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw new IllegalArgumentException(ENDPOINT + " must be an https:// URL, got: " + endpoint);
        }
        if (key != null && key.isBlank()) {
            key = null;
        }
        database = checkName(DATABASE, database);
        container = checkName(CONTAINER, container);
    }

    /** Reads the settings from the process environment. */
    public static CosmosSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** Reads the settings from {@code env}; blank values count as unset. */
    public static CosmosSettings fromEnvironment(Map<String, String> env) {
        String endpoint = value(env, ENDPOINT);
        if (endpoint == null) {
            throw new IllegalArgumentException(ENDPOINT + " is required (the Cosmos DB account endpoint)");
        }
        String database = value(env, DATABASE);
        String container = value(env, CONTAINER);
        return new CosmosSettings(endpoint, value(env, KEY),
                database == null ? DEFAULT_DATABASE : database,
                container == null ? DEFAULT_CONTAINER : container);
    }

    /** Whether the store signs in with the account key (otherwise with {@code DefaultAzureCredential}). */
    public boolean usesKey() {
        return key != null;
    }

    /**
     * Whether the endpoint is on this machine (the emulator or a test server): then endpoint
     * discovery is off, since such a server names no reachable regional endpoints.
     */
    public boolean isLocal() {
        String host = URI.create(endpoint).getHost().toLowerCase(Locale.ROOT);
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    /** The same account and key with another database, e.g. one per test. */
    public CosmosSettings withDatabase(String otherDatabase) {
        return new CosmosSettings(endpoint, key, otherDatabase, container);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "CosmosSettings[endpoint=" + endpoint + ", auth=" + (usesKey() ? "key" : "DefaultAzureCredential")
                + ", database=" + database + ", container=" + container + "]";
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String checkName(String setting, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(setting + " must not be empty");
        }
        if (name.length() > 255 || name.matches(".*[/\\\\#?].*") || name.endsWith(" ")) {
            throw new IllegalArgumentException(setting + " must be 1-255 characters without / \\ # ?, got: " + name);
        }
        return name;
    }
}
