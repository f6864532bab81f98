package io.mutexify.model.slot;

import io.mutexify.model.command.Actor;

/**
 * Who may do what with a registered slot. Owners edit it, its ACL, break its locks and delete it;
 * members (owners included) acquire it and extend or release their own locks; an administrator
 * may do everything. Seeing a slot at all takes the same as using it.
 */
public final class Access {
    private Access() {
    }

    /** Whether {@code actor} may see {@code state}: false for an unregistered slot unless an administrator. */
    public static boolean maySee(SlotState state, Actor actor) {
        return actor.admin() || (state.isRegistered() && state.config().isMember(actor.principal()));
    }

    /** Whether {@code actor} may acquire the slot configured so. */
    public static boolean mayUse(SlotConfig config, Actor actor) {
        return actor.admin() || config.isMember(actor.principal());
    }

    /** Whether {@code actor} may change, break or delete the slot configured so. */
    public static boolean mayAdminister(SlotConfig config, Actor actor) {
        return actor.admin() || config.isOwner(actor.principal());
    }
}
