package io.mutexify.model.machine;

import static io.mutexify.model.machine.Fixture.BOB;
import static io.mutexify.model.machine.Fixture.at;

import io.mutexify.model.machine.Fixture.Driver;
import io.mutexify.model.slot.Hold;
import org.junit.jupiter.api.BeforeEach;

/** Where most machine tests start: a registered slot that Bob holds, granted at t=0 for 60 s (fence 1). */
abstract class BobHoldsSlot {
    Driver slot;
    /** Bob's hold: granted at t=0 for 60 s, fence 1. */
    Hold held;

    @BeforeEach
    void bobHoldsForSixtySeconds() {
        slot = Driver.registeredSlot();
        held = slot.hold("r1", BOB, 60, at(0));
    }
}
