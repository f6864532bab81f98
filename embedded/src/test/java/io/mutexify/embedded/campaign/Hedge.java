package io.mutexify.embedded.campaign;

import java.net.Socket;

/** The first send of a hedged acquire: a connection left open until the client drops it. */
final class Hedge {
    /** How a dropped first send shows in the history. */
    static final String DROPPED = "dropped (hedged)";

    private final Socket socket;
    private final long sentNanos;
    private long droppedNanos;

    Hedge(Socket socket, long sentNanos) {
        this.socket = socket;
        this.sentNanos = sentNanos;
    }

    /** Closes the connection (once) without reading the answer. */
    synchronized void drop() {
        if (droppedNanos == 0) {
            CampaignHttp.closeQuietly(socket);
            droppedNanos = System.nanoTime();
        }
    }

    /** The send as an attempt that got no answer; drops it first if it is still open. */
    synchronized Attempt asAttempt() {
        drop();
        return Attempt.failed(sentNanos, droppedNanos, DROPPED);
    }
}
