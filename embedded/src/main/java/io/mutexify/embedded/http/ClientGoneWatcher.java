package io.mutexify.embedded.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that a client closed its connection while its call waits for an answer. Jetty does not
 * read an HTTP/1.1 connection while a request is suspended, so a closed connection goes unseen
 * until the answer is written; this thread watches such connections with a selector of its own
 * (a channel may be registered with several) and reads them only until the answer is about to be
 * written. End of stream or a reset means the client is gone. Bytes that do arrive belong to a
 * pipelined next request; they cannot be handed back, so the answer then closes the connection
 * and the client sends that request again, as HTTP/1.1 lets it.
 */
final class ClientGoneWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClientGoneWatcher.class);

    private final Selector selector;
    private final Queue<Watch> toRegister = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    ClientGoneWatcher() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a selector to watch waiting calls", e);
        }
        thread = new Thread(this::loop, "mutexify-client-gone");
        thread.setDaemon(true);
        thread.start();
    }

    /** Watches {@code channel} until {@link Watch#stop()}; runs {@code onClosed} once if the client closes it first. */
    Watch watch(SocketChannel channel, Runnable onClosed) {
        Watch w = new Watch(channel, onClosed);
        toRegister.add(w);
        selector.wakeup();
        return w;
    }

    private void loop() {
        while (running) {
            try {
                selector.select();
                // Taken out first: a watch that must wait for the next round goes back in the queue.
                List<Watch> now = new ArrayList<>();
                for (Watch w; (w = toRegister.poll()) != null; ) {
                    now.add(w);
                }
                now.forEach(Watch::register);
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    ((Watch) key.attachment()).readable();
                }
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                log.warn("watching waiting calls failed; continuing", e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            selector.close();
        } catch (IOException e) {
            log.debug("closing the watch selector", e);
        }
    }

    /** One call's connection under watch. */
    final class Watch {
        private final SocketChannel channel;
        private final Runnable onClosed;
        private final ByteBuffer probe = ByteBuffer.allocate(1);
        private SelectionKey key;
        private boolean stopped;
        private boolean readAhead;

        private Watch(SocketChannel channel, Runnable onClosed) {
            this.channel = channel;
            this.onClosed = onClosed;
        }

        /** On the watcher thread. */
        private void register() {
            boolean gone = false;
            synchronized (this) {
                if (stopped) {
                    return;
                }
                try {
                    key = channel.register(selector, SelectionKey.OP_READ, this);
                } catch (ClosedChannelException e) {
                    stopped = true;
                    gone = true;
                } catch (CancelledKeyException e) {
                    // This connection's previous watch is cancelled but not yet deregistered: the next round is.
                    toRegister.add(this);
                    selector.wakeup();
                } catch (RuntimeException e) {
                    // A channel this selector cannot take: the call is simply not watched.
                    stopped = true;
                    log.debug("cannot watch a waiting call's connection", e);
                }
            }
            if (gone) {
                onClosed.run();
            }
        }

        /** On the watcher thread, when the connection has something to say. */
        private void readable() {
            boolean gone;
            synchronized (this) {
                if (stopped) {
                    return;
                }
                int n;
                try {
                    n = channel.read(probe.clear());
                } catch (IOException reset) {
                    n = -1;
                }
                if (n == 0) {
                    return;
                }
                gone = n < 0;
                readAhead = n > 0;
                stopped = true;
                key.cancel();
            }
            if (gone) {
                onClosed.run();
            }
        }

        /**
         * Stops watching: once it returns, this connection is not read here any more. True if a
         * byte of a pipelined next request was read, so the answer must close the connection.
         */
        synchronized boolean stop() {
            if (!stopped) {
                stopped = true;
                if (key != null) {
                    key.cancel();
                    // Deregister soon, so a connection Jetty closes is not held open by this selector.
                    selector.wakeup();
                }
            }
            return readAhead;
        }
    }
}
