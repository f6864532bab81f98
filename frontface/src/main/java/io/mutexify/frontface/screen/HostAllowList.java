package io.mutexify.frontface.screen;

import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The host names the server answers to. A page on an attacker's domain that rebinds its name to
 * 127.0.0.1 reaches a loopback server with that domain in {@code Host}; refusing names we were not
 * told about defeats it (the browser cannot send another {@code Host}). Loopback names are always
 * allowed; an operator adds the names the server is published under.
 */
public final class HostAllowList {
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1");

    private final Set<String> names;

    private HostAllowList(Set<String> names) {
        this.names = names;
    }

    /** Every host is allowed: for hosts where the platform itself routes by name (Azure Functions). */
    public static HostAllowList any() {
        return new HostAllowList(null);
    }

    /** Loopback names plus {@code extra} (host names or IP literals, without port). */
    public static HostAllowList loopbackAnd(Collection<String> extra) {
        Set<String> all = new HashSet<>(LOOPBACK);
        for (String e : extra) {
            all.add(normalize(e));
        }
        return new HostAllowList(Set.copyOf(all));
    }

    /** Whether a request with this {@code Host} header (null when absent) may be answered. */
    public boolean allows(String hostHeader) {
        if (names == null) {
            return true;
        }
        if (hostHeader == null) {
            return false;
        }
        return names.contains(normalize(withoutPort(hostHeader.trim())));
    }

    /** {@code example.com:8080} → {@code example.com}; {@code [::1]:8080} → {@code ::1}. */
    static String withoutPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(1, end);
        }
        int colon = host.indexOf(':');
        return colon < 0 || host.indexOf(':', colon + 1) >= 0 ? host : host.substring(0, colon);
    }

    private static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("[") && n.endsWith("]")) {
            n = n.substring(1, n.length() - 1);
        }
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
