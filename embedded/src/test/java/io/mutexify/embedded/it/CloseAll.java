package io.mutexify.embedded.it;

/** Closes browsers and servers at the end of a test class, each even if another fails to close. */
final class CloseAll {
    private CloseAll() {
    }

    static void of(AutoCloseable... all) {
        for (AutoCloseable c : all) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // keep closing the rest
            }
        }
    }
}
