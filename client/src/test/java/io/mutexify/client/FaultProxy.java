package io.mutexify.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of the test server that can misbehave: swallow the server's answer on the
 * first connections (the request was carried out, the caller never hears of it), or stop answering
 * altogether while keeping connections open (a hung server).
 */
final class FaultProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final URI upstream;
    private final AtomicInteger swallowAnswers = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean hung;

    FaultProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "fault-proxy");
        t.setDaemon(true);
        t.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** The next {@code n} connections carry their request to the server but close instead of answering. */
    void swallowAnswers(int n) {
        swallowAnswers.set(n);
    }

    /** From now on nothing reaches the server and nothing comes back; connections stay open. */
    void hang() {
        hung = true;
    }

    int connections() {
        return connections.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                connections.incrementAndGet();
                sockets.add(client);
                boolean swallow = swallowAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
                Socket server = new Socket();
                server.connect(new InetSocketAddress(upstream.getHost(), upstream.getPort()), 2_000);
                sockets.add(server);
                pump(client, server, false);
                pump(server, client, swallow);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean swallow) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    if (hung) {
                        continue; // swallow everything, keep the connection open
                    }
                    if (swallow) {
                        // The server answered: drop the answer and cut the caller off.
                        from.close();
                        to.close();
                        return;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // either side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "fault-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }
}
