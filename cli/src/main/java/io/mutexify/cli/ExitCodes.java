package io.mutexify.cli;

/**
 * The exit codes of {@code mutexify}. 75 and 76 are chosen so they do not collide with the shell's
 * own codes (1, 2, 126, 127, 128+signal); 75 is {@code EX_TEMPFAIL} of sysexits.h — try again later.
 * {@code run} otherwise exits with its command's own code.
 */
final class ExitCodes {
    /** Success. */
    static final int OK = 0;
    /** Any other failure: the server could not be reached, refused the call (400, 403, 409 …) or answered 5xx. */
    static final int ERROR = 1;
    /** Bad usage: unknown option, missing or malformed value. */
    static final int USAGE = 2;
    /** Not found: the slot is not registered, or the token does not hold the lock (any more). */
    static final int NOT_FOUND = 3;
    /** The lock was not acquired in time: it is held by someone else and the wait (if any) ended. */
    static final int NOT_ACQUIRED = 75;
    /** The lock was lost while {@code run}'s command ran: the command was stopped (or had already finished unprotected). */
    static final int LOCK_LOST = 76;
    /** {@code run}: the command was found but could not be executed. */
    static final int CANNOT_EXECUTE = 126;
    /** {@code run}: the command was not found. */
    static final int COMMAND_NOT_FOUND = 127;

    private ExitCodes() {
    }
}
