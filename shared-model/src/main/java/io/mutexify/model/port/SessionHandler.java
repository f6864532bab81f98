package io.mutexify.model.port;

import io.mutexify.model.command.SlotCommand;
import java.util.List;

/** The consumer of one slot's session: handles a batch of that slot's commands in order. */
public interface SessionHandler {
    /** Throws to have the whole batch delivered again. */
    void handle(String slotId, List<SlotCommand> batch) throws Exception;
}
