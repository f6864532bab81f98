package io.mutexify.client;

/**
 * A call to the Mutexify service failed. The base of every exception the client throws; it is
 * unchecked, so lock code reads plainly inside lambdas.
 *
 * <p>{@link #status()} is the HTTP status the server answered, or {@code 0} when there was no
 * answer (the server could not be reached, the call timed out, or the thread was interrupted).
 * {@link #code()} is the server's machine-readable {@code error} code (for example
 * {@code invalid_timeout}, {@code forbidden}, {@code slot_exists}), or a client-side code such as
 * {@code unreachable}, {@code timeout}, {@code pending} or {@code interrupted}.
 */
public class MutexifyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    /** A failure with this HTTP status (0 for none), error code and message. */
    public MutexifyException(int status, String code, String message) {
        this(status, code, message, null);
    }

    /** A failure with this HTTP status (0 for none), error code, message and cause. */
    public MutexifyException(int status, String code, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
    }

    /** The HTTP status, or 0 when the server gave no answer. */
    public int status() {
        return status;
    }

    /** The error code: the server's {@code error} field, or a client-side code when there was no answer. */
    public String code() {
        return code;
    }
}
