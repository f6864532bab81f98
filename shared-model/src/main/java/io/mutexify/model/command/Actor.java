package io.mutexify.model.command;

/** Who issued a command: an authenticated principal, possibly an administrator, or the system itself. */
public record Actor(String principal, boolean admin) {
    public static final Actor SYSTEM = new Actor("system", true);
}
