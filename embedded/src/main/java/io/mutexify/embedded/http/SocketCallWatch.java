package io.mutexify.embedded.http;

import io.mutexify.frontface.http.CallWatch;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Request;

/**
 * One call's {@link CallWatch} on the local server: watches the call's TCP connection once the
 * API asks (a waiting acquire), until the answer is about to be written.
 */
final class SocketCallWatch implements CallWatch {
    private final ClientGoneWatcher watcher;
    private final HttpServletRequest request;
    private ClientGoneWatcher.Watch watch;
    private boolean answered;

    SocketCallWatch(ClientGoneWatcher watcher, HttpServletRequest request) {
        this.watcher = watcher;
        this.request = request;
    }

    @Override
    public synchronized void onClosed(Runnable onClosed) {
        if (answered || watch != null) {
            return;
        }
        SocketChannel channel = channelOf(request);
        if (channel != null) {
            watch = watcher.watch(channel, onClosed);
        }
    }

    /** Called right before the answer is written; true if the connection must close after it. */
    synchronized boolean answering() {
        answered = true;
        return watch != null && watch.stop();
    }

    /** The call's socket, or null when it did not come over a plain TCP connection. */
    private static SocketChannel channelOf(HttpServletRequest request) {
        Request base = Request.getBaseRequest(request);
        if (base == null || base.getHttpChannel() == null) {
            return null;
        }
        EndPoint endPoint = base.getHttpChannel().getEndPoint();
        return endPoint instanceof SocketChannelEndPoint socket ? socket.getChannel() : null;
    }
}
