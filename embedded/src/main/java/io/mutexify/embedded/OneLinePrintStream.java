package io.mutexify.embedded;

import io.mutexify.model.text.LogText;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The process's standard output, where the log goes, with every {@code println} kept to one line:
 * the logger writes each entry (and each line of a stack trace) with one {@code println}, so
 * escaping line separators inside it means no logged value — an e-mail address, a key name, a path,
 * an exception message — can start a line that looks like an entry of its own.
 */
final class OneLinePrintStream extends PrintStream {
    private OneLinePrintStream(OutputStream out) {
        super(out, true, StandardCharsets.UTF_8);
    }

    /** Replaces {@code System.out} (the log's stream) with a one-line-per-println copy of itself. */
    static void install() {
        if (!(System.out instanceof OneLinePrintStream)) {
            System.setOut(new OneLinePrintStream(System.out));
        }
    }

    @Override
    public void println(String x) {
        super.println(LogText.escape(x));
    }

    @Override
    public void println(Object x) {
        super.println(LogText.escape(x));
    }
}
