package io.mutexify.model.command;

import java.time.Instant;

/** A command to deliver on its slot's session at {@code at}, not before. */
public record ScheduledCommand(Instant at, SlotCommand command) {
}
