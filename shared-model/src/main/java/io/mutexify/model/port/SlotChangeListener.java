package io.mutexify.model.port;

import io.mutexify.model.slot.SlotState;

/** Told after a slot's new state is committed; feeds long-poll watches. */
public interface SlotChangeListener {
    void changed(SlotState committed);
}
