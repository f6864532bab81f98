package io.mutexify.model.machine;

import static io.mutexify.model.machine.Fixture.ALICE;
import static io.mutexify.model.machine.Fixture.BOB;
import static io.mutexify.model.machine.Fixture.CAROL;
import static io.mutexify.model.machine.Fixture.MALLORY;
import static io.mutexify.model.machine.Fixture.ROOT;
import static io.mutexify.model.machine.Fixture.at;
import static io.mutexify.model.machine.Fixture.release;
import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.slot.Hold;
import org.junit.jupiter.api.Test;

/** Releasing takes the holder's token, and being the holder, a member or an administrator. */
class ReleaseAccessTest extends BobHoldsSlot {
    @Test
    void aStrangerWithTheTokenIsRefusedAndNothingChanges() {
        slot.applyRefused(release("d1", MALLORY, held.token()), at(10), 403, "forbidden");
    }

    @Test
    void aStrangerWithAWrongTokenLearnsNothingMore() {
        slot.applyRefused(release("d1", MALLORY, "not-the-token"), at(10), 404, "lock_not_found");
    }

    @Test
    void anotherMemberOrAnOwnerOrAnAdministratorWithTheTokenMayRelease() {
        assertThat(slot.apply(release("d1", CAROL, held.token()), at(10)).reply().status()).isEqualTo(204);
        Hold again = slot.hold("r2", BOB, 60, at(11));
        assertThat(slot.apply(release("d2", ALICE, again.token()), at(12)).reply().status()).isEqualTo(204);
        Hold third = slot.hold("r3", BOB, 60, at(13));
        assertThat(slot.apply(release("d3", ROOT, third.token()), at(14)).reply().status()).isEqualTo(204);
    }
}
