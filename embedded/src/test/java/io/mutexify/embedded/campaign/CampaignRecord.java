package io.mutexify.embedded.campaign;

import java.util.List;

/**
 * Everything a run leaves behind for the checker: the client history, the receiver's deliveries and
 * the store after the run.
 *
 * @param marginNanos how much earlier than {@code expireAt} a hold stops counting as surely held
 *                    (the server's and the test's readings of one clock may differ by scheduling noise)
 */
public record CampaignRecord(List<Op> ops, List<Delivery> deliveries, StoreSnapshot store, Timeline timeline,
                             long marginNanos) {
}
