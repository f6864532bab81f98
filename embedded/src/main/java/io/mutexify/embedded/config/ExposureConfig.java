package io.mutexify.embedded.config;

import io.mutexify.model.settings.SettingsReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * What one client may take of the server: the host names it answers to (beyond loopback), open
 * connections per client address, open watches and owned slots per principal.
 */
public record ExposureConfig(
        URI publicUrl,
        List<String> hostNames,
        int maxConnectionsPerAddress,
        int maxWatchesPerPrincipal,
        int maxSlotsPerPrincipal) {

    public ExposureConfig {
        hostNames = List.copyOf(hostNames);
    }

    static ExposureConfig from(SettingsReader r, String bindHost) {
        List<URI> urls = r.uris("MUTEXIFY_PUBLIC_URL");
        if (urls.size() > 1 || urls.size() == 1 && (urls.get(0).getHost() == null || urls.get(0).getRawPath() != null
                && !urls.get(0).getRawPath().isEmpty() && !urls.get(0).getRawPath().equals("/"))) {
            throw new IllegalArgumentException("MUTEXIFY_PUBLIC_URL must be one http(s) URL with a host and no path,"
                    + " such as https://locks.example.com");
        }
        URI publicUrl = urls.isEmpty() ? null : urls.get(0);
        List<String> names = new ArrayList<>();
        if (publicUrl != null) {
            names.add(publicUrl.getHost());
        }
        // A specific interface's own address names this server; a wildcard (0.0.0.0, ::) names none.
        if (!bindHost.equals("0.0.0.0") && !bindHost.equals("::") && !bindHost.equals("[::]")) {
            names.add(bindHost);
        }
        return new ExposureConfig(publicUrl, names,
                r.integer("MUTEXIFY_MAX_CONNECTIONS_PER_ADDRESS", 1, 100_000),
                r.integer("MUTEXIFY_MAX_WATCHES_PER_PRINCIPAL", 1, 100_000),
                r.integer("MUTEXIFY_MAX_SLOTS_PER_PRINCIPAL", 1, 10_000_000));
    }
}
