package io.mutexify.embedded.campaign;

import java.net.Socket;

/** The first send of a hedged acquire: a connection left open until the client drops it. */
final class Hedge {
    /** How a dropped first send shows in the history. */
    static final String DROPPED = "dropped (hedged)";

    private final Socket socket;
    private final long sentNanos;
    private long droppedNanos;
    private Attempt answered;

    Hedge(Socket socket, long sentNanos) {
        this.socket = socket;
        this.sentNanos = sentNanos;
    }

    /** Closes the connection (once), keeping an answer that had already arrived; waits for none. */
    synchronized void drop() {
        if (droppedNanos == 0) {
            answered = CampaignHttp.answerWaiting(socket, sentNanos);
            CampaignHttp.closeQuietly(socket);
            droppedNanos = System.nanoTime();
        }
    }

    /** The send as an attempt: its answer if one came before the drop, else none; drops it first if still open. */
    synchronized Attempt asAttempt() {
        drop();
        return answered != null ? answered : Attempt.failed(sentNanos, droppedNanos, DROPPED);
    }
}
