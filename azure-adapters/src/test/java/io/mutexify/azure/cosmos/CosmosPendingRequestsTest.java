package io.mutexify.azure.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.command.Actor;
import io.mutexify.model.command.SlotCommand.Acquire;
import io.mutexify.model.command.SlotCommand.Release;
import io.mutexify.model.port.PendingRequests;
import io.mutexify.model.port.PendingRequests.LongWait;
import io.mutexify.model.port.PendingRequests.ReplyAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pending-request records on Cosmos DB: a long wait's record tells any Frontface instance its
 * slot and principal and lasts as long as the wait may (plus 15 minutes); a cancelled one is gone.
 */
@ExtendWith(CosmosTestServer.class)
class CosmosPendingRequestsTest {
    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
    private static final Actor ANN = new Actor("ann@example.com", false);
    private static final ReplyAddress FF = new ReplyAddress("mutexify-replies", "ff-1");
    private final CosmosSettings settings = CosmosTestServer.get().freshSettings();
    private CosmosSlotStore writer;
    private CosmosSlotStore later;

    private CosmosSlotStore open(Instant now) {
        return CosmosSlotStore.open(CosmosTestServer.get().client(), settings, false,
                CosmosSlotStore.Tuning.defaults().withClock(Clock.fixed(now, ZoneOffset.UTC)));
    }

    @AfterEach
    void close() {
        for (CosmosSlotStore s : new CosmosSlotStore[] {writer, later}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @Test
    void aLongWaitsRecordNamesItsSlotAndPrincipalForAsLongAsTheWaitMayLast() {
        writer = open(T0);
        PendingRequests pending = writer.pendingRequests();
        pending.sent(new Acquire("r-long", "ci-1", ANN, null, 60, List.of(), 7200).asLongWait(70), FF);
        pending.sent(new Acquire("r-short", "ci-1", ANN, null, 60, List.of(), 30), FF);
        pending.sent(new Release("r-release", "ci-1", ANN, "tok"), FF);

        assertThat(pending.longWait("r-long")).contains(new LongWait("ci-1", ANN.principal()));
        assertThat(pending.longWait("r-short")).as("a wait its call holds whole").isEmpty();
        assertThat(pending.longWait("r-release")).isEmpty();
        assertThat(pending.replyAddress("r-long")).contains(FF);

        // Past 15 minutes only the long wait is still pending, until its wait and the 15 minutes are over.
        later = open(T0.plus(PendingRequests.LIFETIME).plusSeconds(60));
        assertThat(later.pendingRequests().isPending("r-release")).isFalse();
        assertThat(later.pendingRequests().isPending("r-long")).isTrue();
        assertThat(later.pendingRequests().longWait("r-long")).isPresent();
        later.close();
        later = open(T0.plus(PendingRequests.LIFETIME).plus(Duration.ofSeconds(7200)).plusSeconds(1));
        assertThat(later.pendingRequests().isPending("r-long")).isFalse();
    }
}
