package io.mutexify.client;

import java.net.InetAddress;

/** The default owner label of locks: {@code host:pid}, so two jobs running under one key are told apart. */
public final class OwnerLabel {
    private OwnerLabel() {
    }

    /** {@code host:pid} of this process; the host is {@code localhost} when it cannot be named. */
    public static String hostAndPid() {
        return host() + ":" + ProcessHandle.current().pid();
    }

    private static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | SecurityException e) {
            return "localhost"; // no resolvable name: the pid still tells processes on this host apart
        }
    }
}
