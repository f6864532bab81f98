package io.mutexify.embedded.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mutexify.model.port.QueueFullException;
import org.junit.jupiter.api.Test;

class FairShareTest {
    @Test
    void aLoneCallerMayFillTheQueue() {
        FairShare share = new FairShare(100);
        for (int i = 0; i < 100; i++) {
            share.reserve("alice");
        }
        assertThatThrownBy(() -> share.reserve("alice")).isInstanceOf(QueueFullException.class);
    }

    @Test
    void fourFloodingCallersCannotStarveAFifth() {
        FairShare share = new FairShare(1000);
        String[] flooders = {"a", "b", "c", "d"};
        // They arrive one after another, each flooding until refused: the worst order for a newcomer.
        for (String f : flooders) {
            fill(share, f);
        }
        int fifth = fill(share, "e");
        assertThat(fifth).as("commands the fifth caller got in").isGreaterThanOrEqualTo(1000 / 6);
        assertThat(share.total()).as("never more than twice the capacity").isLessThanOrEqualTo(2000);
    }

    @Test
    void aCallerOverItsShareGetsInAgainOnceItsOwnCommandsDrain() {
        FairShare share = new FairShare(10);
        int alice = fill(share, "alice");
        fill(share, "bob");
        assertThatThrownBy(() -> share.reserve("alice")).isInstanceOf(QueueFullException.class);
        for (int i = 0; i < alice; i++) {
            share.release("alice");
        }
        share.reserve("alice");
        assertThat(share.total()).isPositive();
    }

    private static int fill(FairShare share, String who) {
        int n = 0;
        while (true) {
            try {
                share.reserve(who);
                n++;
            } catch (QueueFullException full) {
                return n;
            }
        }
    }
}
