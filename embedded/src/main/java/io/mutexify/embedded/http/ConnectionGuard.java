package io.mutexify.embedded.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.IdleTimeout;
import org.eclipse.jetty.server.HttpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one client from holding the server's connections: at most {@code maxPerAddress} open
 * connections per remote address. One more makes room by closing that address's connection that
 * has been idle longest (between requests, as a client's keep-alive pool leaves them); if every one
 * is busy with a request, the new connection is closed as soon as it opens. A request's headers
 * must be complete within {@code headerTimeout} of their first byte — Jetty's idle timeout alone
 * lets a client that sends a header byte every few seconds keep a connection for ever.
 */
final class ConnectionGuard implements Connection.Listener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

    private final int maxPerAddress;
    private final long headerTimeoutNanos;
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final Map<Connection, InetAddress> counted = new ConcurrentHashMap<>();
    private final Map<HttpConnection, HeaderClock> inHeaders = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mutexify-http-guard");
        t.setDaemon(true);
        return t;
    });

    /** When a connection was first seen part-way through a request's headers, and which request that was. */
    private record HeaderClock(long messagesIn, long sinceNanos) {
    }

    ConnectionGuard(int maxPerAddress, Duration headerTimeout) {
        this.maxPerAddress = maxPerAddress;
        this.headerTimeoutNanos = headerTimeout.toNanos();
        long every = Math.max(100, headerTimeout.toMillis() / 4);
        sweeper.scheduleWithFixedDelay(this::closeSlowHeaders, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress from = addressOf(connection);
        if (from == null) {
            return;
        }
        int open = perAddress.merge(from, 1, Integer::sum);
        counted.put(connection, from);
        if (open > maxPerAddress) {
            Connection idle = longestIdle(from, connection);
            log.debug("connection {} from {}: it already has {} open", idle == null ? "refused" : "made room",
                    from.getHostAddress(), open - 1);
            (idle == null ? connection : idle).getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress from = counted.remove(connection);
        if (from != null) {
            perAddress.computeIfPresent(from, (a, n) -> n <= 1 ? null : n - 1);
        }
        if (connection instanceof HttpConnection http) {
            inHeaders.remove(http);
        }
    }

    private void closeSlowHeaders() {
        long now = System.nanoTime();
        for (Connection c : counted.keySet()) {
            if (!(c instanceof HttpConnection http)) {
                continue;
            }
            HttpParser parser = http.getParser();
            // Between requests the parser is at START: that wait is the idle timeout's business.
            if (parser.isStart() || !parser.inHeaderState()) {
                inHeaders.remove(http);
                continue;
            }
            HeaderClock seen = inHeaders.get(http);
            long messages = http.getMessagesIn();
            if (seen == null || seen.messagesIn() != messages) {
                inHeaders.put(http, new HeaderClock(messages, now));
            } else if (now - seen.sinceNanos() > headerTimeoutNanos) {
                log.debug("closing a connection from {}: its request headers took too long", counted.get(c));
                inHeaders.remove(http);
                http.getEndPoint().close();
            }
        }
    }

    /** The connection from {@code from}, other than {@code except}, with no request in progress and idle longest. */
    private Connection longestIdle(InetAddress from, Connection except) {
        Connection best = null;
        long bestIdle = -1;
        for (Map.Entry<Connection, InetAddress> e : counted.entrySet()) {
            if (e.getKey() != except && e.getValue().equals(from) && e.getKey() instanceof HttpConnection http
                    && http.getParser().isStart() && http.getEndPoint() instanceof IdleTimeout t && t.getIdleFor() > bestIdle) {
                best = http;
                bestIdle = t.getIdleFor();
            }
        }
        return best;
    }

    private static InetAddress addressOf(Connection connection) {
        InetSocketAddress remote = connection.getEndPoint().getRemoteAddress();
        return remote == null ? null : remote.getAddress();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
