package io.mutexify.frontface.auth;

import io.mutexify.frontface.http.ApiException;
import io.mutexify.frontface.http.ApiRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Who may use the dev sign-in, decided per request. On a loopback server it is for people on this
 * machine only: the connection must come from a loopback address and carry no forwarding header —
 * a reverse proxy on the same host connects from loopback too, on behalf of anyone. Only an
 * operator who turned it on for a non-loopback interface lets other machines use it.
 */
public final class DevSignInCallers {
    /** Headers a proxy adds when it passes a request on; any of them means the caller is elsewhere. */
    private static final List<String> FORWARDING = List.of("Forwarded", "X-Forwarded-For", "X-Forwarded-Host",
            "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Server", "X-Real-IP", "X-Client-IP",
            "X-Original-Forwarded-For", "True-Client-IP", "CF-Connecting-IP", "Via");

    private final boolean anyAddress;

    private DevSignInCallers(boolean anyAddress) {
        this.anyAddress = anyAddress;
    }

    /** Callers on this machine only (the default). */
    public static DevSignInCallers thisMachine() {
        return new DevSignInCallers(false);
    }

    /** Any caller that reaches the server: only for a server deliberately opened to a network. */
    public static DevSignInCallers anyAddress() {
        return new DevSignInCallers(true);
    }

    /**
     * For a server listening on {@code bindHost}: on loopback (or {@code localhost}) callers on
     * this machine only; on any other interface, where the dev sign-in is on only when the operator
     * said so explicitly, any caller.
     */
    public static DevSignInCallers forServerOn(String bindHost) {
        String h = bindHost.startsWith("[") && bindHost.endsWith("]") ? bindHost.substring(1, bindHost.length() - 1) : bindHost;
        return h.equalsIgnoreCase("localhost") || isLoopback(h) ? thisMachine() : anyAddress();
    }

    /** Throws 403 unless {@code req} may use the dev sign-in. */
    public void check(ApiRequest req) {
        if (anyAddress) {
            return;
        }
        for (String h : FORWARDING) {
            if (req.header(h) != null) {
                throw ApiException.forbidden("dev_sign_in_local_only",
                        "the dev sign-in is for callers on the server's own machine, not through a proxy");
            }
        }
        if (!isLoopback(req.remoteAddress())) {
            throw ApiException.forbidden("dev_sign_in_local_only",
                    "the dev sign-in is for callers on the server's own machine");
        }
    }

    /** A literal loopback address; an unknown peer (null) is not one. Never resolves a name. */
    static boolean isLoopback(String address) {
        if (address == null || !address.matches("[0-9.]+|\\[?[0-9a-fA-F:.]*:[0-9a-fA-F:.]*]?")) {
            return false;
        }
        try {
            String a = address.startsWith("[") ? address.substring(1, address.length() - 1) : address;
            return InetAddress.getByName(a).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
