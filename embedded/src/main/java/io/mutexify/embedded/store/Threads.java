package io.mutexify.embedded.store;

/** Thread helpers the store's background threads share. */
final class Threads {
    private Threads() {
    }

    /**
     * Waits for {@code thread} to end even if the caller is interrupted meanwhile (closing must
     * not leave a writer running), then restores the caller's interrupt flag.
     */
    static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
