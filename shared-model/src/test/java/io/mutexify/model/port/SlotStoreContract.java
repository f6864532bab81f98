package io.mutexify.model.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.model.event.EventType;
import io.mutexify.model.event.LockEvent;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.slot.DelayedUnit;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.HistoryEntry.EndReason;
import io.mutexify.model.slot.Hold;
import io.mutexify.model.slot.LockView;
import io.mutexify.model.slot.SlotConfig;
import io.mutexify.model.slot.SlotState;
import io.mutexify.model.slot.SlotView;
import io.mutexify.model.slot.Waiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link SlotStore} must do, whatever it stores into. An adapter's test extends this
 * class and says how to make a store; it may add tests of its own.
 */
public abstract class SlotStoreContract {
    /** A fixed clock: the store never looks at time itself, it only keeps what it is given. */
    protected static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    protected SlotStore store;

    /** A fresh, empty store. Called before every test; the test closes it. */
    protected abstract SlotStore newStore();

    @BeforeEach
    protected void openStore() {
        store = newStore();
    }

    @AfterEach
    protected void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // ---- load and commit ----

    @Test
    public void loadOfAnUnknownSlotIsEmptyAtVersionZero() {
        SlotState s = store.load("never-written");

        assertThat(s).isEqualTo(SlotState.empty("never-written"));
        assertThat(s.version()).isZero();
        assertThat(store.loadAll()).isEmpty();
    }

    @Test
    public void commitThenLoadRoundTripsTheWholeStateAndBumpsTheVersion() {
        SlotState first = registered("ci-env")
                .withFence(7)
                .withHold(hold(7, T0))
                .withWaiters(List.of(waiter("req-w1", T0.plusSeconds(1)), waiter("req-w2", T0.plusSeconds(2))));

        assertThat(store.commit(stateWrite(0, first))).isTrue();
        assertThat(store.load("ci-env")).isEqualTo(first.withVersion(1));

        SlotState second = first
                .withHold(first.hold().extendedTo(600, T0.plusSeconds(30)))
                .withWaiters(List.of(first.waiters().get(1)));
        assertThat(store.commit(stateWrite(1, second))).isTrue();
        assertThat(store.load("ci-env")).isEqualTo(second.withVersion(2));

        // A slot that is no longer registered keeps its fence: it must never go back.
        SlotState deleted = new SlotState("ci-env", null, 7, null, List.of(), 2);
        assertThat(store.commit(stateWrite(2, deleted))).isTrue();
        assertThat(store.load("ci-env")).isEqualTo(deleted.withVersion(3));
    }

    @Test
    public void theStoredVersionIsExpectedPlusOneWhateverTheStateCarries() {
        assertThat(store.commit(stateWrite(0, registered("s").withVersion(42)))).isTrue();

        assertThat(store.load("s").version()).isEqualTo(1);
        assertThat(store.commit(stateWrite(42, registered("s")))).isFalse();
        assertThat(store.commit(stateWrite(1, registered("s").withVersion(0)))).isTrue();
        assertThat(store.load("s").version()).isEqualTo(2);
    }

    @Test
    public void loadAllListsEveryWrittenSlotOrderedById() {
        store.commit(stateWrite(0, registered("beta")));
        store.commit(stateWrite(0, registered("alpha")));
        SlotState unregistered = new SlotState("gamma", null, 3, null, List.of(), 0);
        store.commit(stateWrite(0, unregistered));
        store.commit(stateWrite(1, registered("alpha").withFence(1)));
        // Only a reply, no state: the slot was never written.
        store.commit(new SlotWrite("delta", 0, null, List.of(errorReply("req-d", "delta")), List.of(), List.of(), T0));

        List<SlotState> all = store.loadAll();

        assertThat(all).extracting(SlotState::id).containsExactly("alpha", "beta", "gamma");
        assertThat(all).extracting(SlotState::version).containsExactly(2L, 1L, 1L);
        assertThat(all.get(2)).isEqualTo(unregistered.withVersion(1));
    }

    // ---- conditional writes ----

    @Test
    public void aStaleExpectedVersionIsAConflictAndWritesNothing() {
        SlotState v1 = registered("s").withFence(1).withHold(hold(1, T0));
        assertThat(store.commit(new SlotWrite("s", 0, v1, List.of(okReply("req-1", "s")),
                List.of(event("ev-1", "s", T0)), List.of(historyEntry("s", 0, T0)), T0))).isTrue();
        long seqBefore = lastSeq();

        SlotWrite stale = new SlotWrite("s", 0, registered("s").withFence(99),
                List.of(okReply("req-stale", "s")), List.of(event("ev-stale", "s", T0)),
                List.of(historyEntry("s", 98, T0)), T0);
        SlotWrite ahead = new SlotWrite("s", 2, registered("s").withFence(99),
                List.of(okReply("req-ahead", "s")), List.of(event("ev-ahead", "s", T0)),
                List.of(historyEntry("s", 97, T0)), T0);

        assertThat(store.commit(stale)).isFalse();
        assertThat(store.commit(ahead)).isFalse();

        assertThat(store.load("s")).isEqualTo(v1.withVersion(1));
        assertThat(store.findReply("req-stale")).isEmpty();
        assertThat(store.findReply("req-ahead")).isEmpty();
        assertThat(store.findReply("req-1")).isPresent();
        assertThat(store.outboxAfter(0, 100)).extracting(e -> e.event().id()).containsExactly("ev-1");
        assertThat(lastSeq()).isEqualTo(seqBefore);
        assertThat(store.history("s", 10)).extracting(HistoryEntry::fence).containsExactly(0L);
    }

    @Test
    public void anExpectedVersionOnASlotNeverWrittenIsAConflict() {
        assertThat(store.commit(stateWrite(1, registered("s")))).isFalse();

        assertThat(store.load("s")).isEqualTo(SlotState.empty("s"));
        assertThat(store.loadAll()).isEmpty();
    }

    @Test
    public void aReplyOnlyWriteLeavesTheSlotAloneButStillChecksTheVersion() {
        SlotState v1 = registered("s");
        store.commit(stateWrite(0, v1));

        assertThat(store.commit(new SlotWrite("s", 1, null, List.of(errorReply("req-a", "s")), List.of(),
                List.of(), T0))).isTrue();
        assertThat(store.load("s")).isEqualTo(v1.withVersion(1));
        assertThat(store.findReply("req-a")).contains(errorReply("req-a", "s"));

        assertThat(store.commit(new SlotWrite("s", 0, null, List.of(errorReply("req-b", "s")), List.of(),
                List.of(), T0))).isFalse();
        assertThat(store.findReply("req-b")).isEmpty();

        // On a slot never written, a reply-only write expects version 0 and leaves no slot behind.
        assertThat(store.commit(new SlotWrite("ghost", 0, null, List.of(errorReply("req-c", "ghost")),
                List.of(), List.of(), T0))).isTrue();
        assertThat(store.load("ghost")).isEqualTo(SlotState.empty("ghost"));
        assertThat(store.findReply("req-c")).isPresent();
    }

    @Test
    @Timeout(60)
    public void twoWritersRacingOnOneSlotExactlyOneWinsAndTheLoserReappliesWithoutOverwriting()
            throws Exception {
        store.commit(stateWrite(0, registered("race")));
        int rounds = 20;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < rounds; round++) {
                CyclicBarrier bothLoaded = new CyclicBarrier(2);
                List<Future<Boolean>> firstAttempts = new ArrayList<>();
                for (String side : List.of("a", "b")) {
                    String requestId = "req-" + round + "-" + side;
                    firstAttempts.add(pool.submit(() -> {
                        SlotState seen = store.load("race");
                        // Both hold the same version before either writes: a real race, every round.
                        bothLoaded.await(10, TimeUnit.SECONDS);
                        boolean won = store.commit(joinLine(seen, requestId));
                        if (!won) {
                            // The losing writer does what the Lockkeeper does: reload, re-apply, retry.
                            assertThat(store.findReply(requestId)).isEmpty();
                            boolean retried = false;
                            for (int attempt = 0; attempt < 10 && !retried; attempt++) {
                                retried = store.commit(joinLine(store.load("race"), requestId));
                            }
                            assertThat(retried).as("retry after reload of %s", requestId).isTrue();
                        }
                        return won;
                    }));
                }
                int winners = 0;
                for (Future<Boolean> f : firstAttempts) {
                    winners += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(winners).as("first-attempt winners in round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }

        SlotState last = store.load("race");
        assertThat(last.version()).isEqualTo(1 + 2L * rounds);
        List<String> expected = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            expected.add("req-" + round + "-a");
            expected.add("req-" + round + "-b");
        }
        assertThat(last.waiters()).extracting(Waiter::requestId).containsExactlyInAnyOrderElementsOf(expected);
        for (String requestId : expected) {
            assertThat(store.findReply(requestId)).as(requestId).isPresent();
        }
        assertThat(store.outboxAfter(0, 1000)).hasSize(2 * rounds);
    }

    @Test
    @Timeout(60)
    public void manyWritersRetryingOnConflictLoseNoUpdate() throws Exception {
        store.commit(stateWrite(0, registered("counter")));
        int writers = 4;
        int incrementsEach = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < incrementsEach; i++) {
                        while (true) {
                            SlotState s = store.load("counter");
                            if (store.commit(stateWrite(s.version(), s.withFence(s.fence() + 1)))) {
                                break;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        SlotState last = store.load("counter");
        assertThat(last.fence()).isEqualTo((long) writers * incrementsEach);
        assertThat(last.version()).isEqualTo(1L + writers * incrementsEach);
    }

    // ---- replies ----

    @Test
    public void repliesAreStoredWithTheWriteAndFoundByRequestId() {
        SlotState s = registered("s").withFence(1).withHold(hold(1, T0));
        Reply granted = okReply("req-ok", "s");
        Reply refused = new Reply("req-409", "s", 409, "locked", "held by someone else",
                LockView.forPublic("s", hold(1, T0)), null);
        Reply released = Reply.noContent("req-204", "s");
        Reply created = Reply.slot("req-201", 201, SlotView.of(s.withVersion(1), T0));

        assertThat(store.commit(new SlotWrite("s", 0, s, List.of(granted, refused, released, created),
                List.of(), List.of(), T0))).isTrue();

        assertThat(store.findReply("req-ok")).contains(granted);
        assertThat(store.findReply("req-409")).contains(refused);
        assertThat(store.findReply("req-204")).contains(released);
        assertThat(store.findReply("req-201")).contains(created);
        assertThat(store.findReply("req-unknown")).isEmpty();
    }

    // ---- outbox and cursors ----

    @Test
    public void theOutboxKeepsCommitOrderAndCursorsTrackDelivery() {
        store.commit(new SlotWrite("a", 0, registered("a"), List.of(),
                List.of(event("a1", "a", T0), event("a2", "a", T0)), List.of(), T0));
        store.commit(new SlotWrite("b", 0, registered("b"), List.of(), List.of(event("b1", "b", T0)), List.of(), T0));
        store.commit(new SlotWrite("a", 1, registered("a").withFence(1), List.of(),
                List.of(event("a3", "a", T0), event("a4", "a", T0)), List.of(), T0));

        List<OutboxEntry> all = store.outboxAfter(0, 100);
        assertThat(all).extracting(e -> e.event().id()).containsExactly("a1", "a2", "b1", "a3", "a4");
        assertThat(all).extracting(OutboxEntry::seq).isSorted().doesNotHaveDuplicates();
        assertThat(all.get(0).event()).isEqualTo(event("a1", "a", T0));

        assertThat(store.outboxAfter(all.get(1).seq(), 2)).extracting(e -> e.event().id())
                .containsExactly("b1", "a3");
        assertThat(store.outboxAfter(all.get(4).seq(), 10)).isEmpty();

        assertThat(store.cursor("webhooks")).isZero();
        store.saveCursor("webhooks", all.get(2).seq());
        assertThat(store.cursor("webhooks")).isEqualTo(all.get(2).seq());
        assertThat(store.cursor("watch")).isZero();
        store.saveCursor("webhooks", all.get(4).seq());
        assertThat(store.cursor("webhooks")).isEqualTo(all.get(4).seq());
    }

    // ---- pools ----

    @Test
    public void aPoolRoundTripsItsUnitsHoldsDelaysAndTheUnitInRepliesEventsAndHistory() {
        SlotConfig c = config();
        SlotConfig poolConfig = new SlotConfig(c.name(), c.description(), c.owners(), c.members(), c.defaultTimeout(),
                c.maxTimeout(), c.createdAt(), c.updatedAt(), 3, List.of("env-1", "env-2", "env-3"), 15);
        List<Hold> holds = List.of(unitHold(4, "env-2"), unitHold(6, "env-3"), unitHold(5, "env-1"));
        SlotState pool = SlotState.empty("pool").withConfig(poolConfig).withFence(6).withHolds(holds)
                .withWaiters(List.of(new Waiter("req-w", "build-w", "ci-bot", 120, List.of(), T0, T0.plusSeconds(30),
                        "env-1")))
                .withDelays(List.of(new DelayedUnit(null, 3, T0.plusSeconds(15))));
        Reply granted = Reply.ok("req-6", "pool", 200, LockView.forHolder("pool", holds.get(1)));
        LockEvent acquired = new LockEvent("pool#9", EventType.LOCK_ACQUIRED, "pool", T0,
                new LockEvent.EventData("pool", "build-6", "bob@example.com", 6L, T0.plusSeconds(300),
                        "bob@example.com", null, "env-3"));
        HistoryEntry ended = new HistoryEntry("pool", 3, "build-3", "bob@example.com", T0.minusSeconds(30), T0,
                EndReason.EXPIRED, "system", "env-1");

        assertThat(store.commit(new SlotWrite("pool", 0, pool, List.of(granted), List.of(acquired), List.of(ended), T0)))
                .isTrue();

        SlotState back = store.load("pool");
        assertThat(back).isEqualTo(pool.withVersion(1));
        assertThat(back.holds()).extracting(Hold::unit).containsExactly("env-2", "env-1", "env-3");
        assertThat(back.config().units()).containsExactly("env-1", "env-2", "env-3");
        assertThat(back.config().lockDelay()).isEqualTo(15);
        assertThat(store.findReply("req-6")).hasValueSatisfying(r -> assertThat(r.lock().unit()).isEqualTo("env-3"));
        assertThat(store.outboxAfter(0, 10)).singleElement()
                .satisfies(e -> assertThat(e.event().data().unit()).isEqualTo("env-3"));
        assertThat(store.history("pool", 10)).containsExactly(ended);
        assertThat(store.loadAll()).singleElement().isEqualTo(pool.withVersion(1));
    }

    private static Hold unitHold(long fence, String unit) {
        return new Hold("lock-" + fence, "build-" + fence, "bob@example.com", "token-" + fence, fence, 300, List.of(),
                T0, T0, T0.plusSeconds(300), unit);
    }

    // ---- pages, quota count, own holds ----

    @Test
    public void pagesListSlotsInIdOrderAfterTheCursorAndOnlyAPrincipalsOwn() {
        for (String id : List.of("c", "a", "e", "b", "d")) {
            store.commit(stateWrite(0, registered(id)));
        }
        SlotConfig carolsOnly = new SlotConfig("x", "", List.of("carol@example.com"), List.of(), 60, 3600, T0, T0);
        store.commit(stateWrite(0, SlotState.empty("bb").withConfig(carolsOnly)));
        // Deleted: no config any more. Every slot still pages, a principal's list does not.
        store.commit(stateWrite(1, SlotState.empty("d")));

        assertThat(store.page(null, "", 3)).extracting(SlotState::id).containsExactly("a", "b", "bb");
        assertThat(store.page(null, "bb", 10)).extracting(SlotState::id).containsExactly("c", "d", "e");
        assertThat(store.page(null, "e", 10)).isEmpty();
        assertThat(store.page("bob@example.com", "", 10)).extracting(SlotState::id).containsExactly("a", "b", "c", "e");
        assertThat(store.page("alice@example.com", "b", 2)).extracting(SlotState::id).containsExactly("c", "e");
        assertThat(store.page("carol@example.com", "", 10)).singleElement().isEqualTo(SlotState.empty("bb").withConfig(carolsOnly).withVersion(1));
        assertThat(store.page("mallory@example.com", "", 10)).isEmpty();

        // A changed ACL moves the slot between principals' lists at once.
        store.commit(stateWrite(1, SlotState.empty("bb").withConfig(config())));
        assertThat(store.page("carol@example.com", "", 10)).isEmpty();
        assertThat(store.page("bob@example.com", "b", 1)).extracting(SlotState::id).containsExactly("bb");
    }

    @Test
    public void countOwnedCountsRegisteredSlotsOwnedUpToTheCap() {
        for (String id : List.of("a", "b", "c")) {
            store.commit(stateWrite(0, registered(id)));
        }
        store.commit(stateWrite(1, SlotState.empty("c")));
        // An owner also listed as a member is counted once.
        store.commit(stateWrite(0, SlotState.empty("d").withConfig(new SlotConfig("d", "", List.of("alice@example.com"),
                List.of("alice@example.com", "bob@example.com"), 60, 3600, T0, T0))));

        assertThat(store.countOwned("alice@example.com", 100)).isEqualTo(3);
        assertThat(store.page("alice@example.com", "c", 10)).extracting(SlotState::id).containsExactly("d");
        assertThat(store.countOwned("alice@example.com", 1)).isEqualTo(1);
        assertThat(store.countOwned("bob@example.com", 100)).isZero(); // a member, not an owner
    }

    @Test
    public void heldByFollowsHoldsOfEveryUnitAndForgetsReleasedOnes() {
        SlotState a = registered("a").withFence(1).withHold(hold(1, T0));
        store.commit(stateWrite(0, a));
        store.commit(stateWrite(0, registered("b")));
        SlotState pool = registered("p").withHolds(List.of(
                new Hold("l-1", "o", "carol@example.com", "t-1", 1, 300, List.of(), T0, T0, T0.plusSeconds(300)),
                new Hold("l-2", "o", "bob@example.com", "t-2", 2, 300, List.of(), T0, T0, T0.plusSeconds(300)),
                new Hold("l-3", "o", "bob@example.com", "t-3", 3, 300, List.of(), T0, T0, T0.plusSeconds(300))));
        store.commit(stateWrite(0, pool));

        assertThat(store.heldBy("bob@example.com")).extracting(SlotState::id).containsExactly("a", "p");
        assertThat(store.heldBy("carol@example.com")).extracting(SlotState::id).containsExactly("p");

        store.commit(stateWrite(1, a.withHold(null)));
        store.commit(stateWrite(0, SlotState.empty("c")));
        assertThat(store.heldBy("bob@example.com")).extracting(SlotState::id).containsExactly("p");
        assertThat(store.heldBy("alice@example.com")).isEmpty();
    }

    // ---- history ----

    @Test
    public void historyIsNewestFirstPerSlotAndLimited() {
        long version = 0;
        for (int fence = 1; fence <= 5; fence++) {
            store.commit(new SlotWrite("s", version, registered("s").withFence(fence), List.of(), List.of(),
                    List.of(historyEntry("s", fence, T0.plusSeconds(60L * fence))), T0));
            version++;
        }
        // Two holds ending in one write (a release that also ends an expired hold): list order is oldest first.
        store.commit(new SlotWrite("s", version, registered("s").withFence(7), List.of(), List.of(),
                List.of(historyEntry("s", 6, T0.plusSeconds(600)), historyEntry("s", 7, T0.plusSeconds(601))), T0));
        store.commit(new SlotWrite("other", 0, registered("other"), List.of(), List.of(),
                List.of(historyEntry("other", 1, T0.plusSeconds(3600))), T0));

        assertThat(store.history("s", 3)).extracting(HistoryEntry::fence).containsExactly(7L, 6L, 5L);
        assertThat(store.history("s", 100)).extracting(HistoryEntry::fence).containsExactly(7L, 6L, 5L, 4L, 3L, 2L, 1L);
        assertThat(store.history("s", 1).get(0)).isEqualTo(historyEntry("s", 7, T0.plusSeconds(601)));
        assertThat(store.history("other", 10)).extracting(HistoryEntry::fence).containsExactly(1L);
        assertThat(store.history("nobody", 10)).isEmpty();
    }

    // ---- prune ----

    @Test
    public void pruneForgetsOldRepliesAndEventsEverySubscriberDelivered() {
        Instant later = T0.plus(Duration.ofHours(1));
        store.commit(new SlotWrite("s", 0, registered("s"), List.of(okReply("req-old", "s")),
                List.of(event("e1", "s", T0), event("e2", "s", T0)), List.of(historyEntry("s", 0, T0)), T0));
        store.commit(new SlotWrite("s", 1, registered("s").withFence(1), List.of(okReply("req-new", "s")),
                List.of(event("e3", "s", later)), List.of(), later));
        List<OutboxEntry> all = store.outboxAfter(0, 10);
        store.saveCursor("webhooks", all.get(1).seq());
        store.saveCursor("watch", all.get(0).seq());

        // A subscriber that never delivered anything holds every event back.
        assertThat(store.prune(T0, List.of("webhooks", "never"))).isZero();
        assertThat(store.outboxAfter(0, 10)).hasSize(3);

        int removed = store.prune(T0.plus(Duration.ofMinutes(30)), List.of("webhooks", "watch"));

        assertThat(removed).isEqualTo(2); // req-old, and e1 (the slower subscriber is at e1)
        assertThat(store.findReply("req-old")).isEmpty();
        assertThat(store.findReply("req-new")).isPresent();
        assertThat(store.outboxAfter(0, 10)).extracting(e -> e.event().id()).containsExactly("e2", "e3");
        // History is the audit trail: prune leaves it and the slots alone.
        assertThat(store.history("s", 10)).hasSize(1);
        assertThat(store.load("s").version()).isEqualTo(2);
    }

    @Test
    public void pruneWithoutSubscribersDropsOnlyOldEvents() {
        Instant later = T0.plus(Duration.ofHours(1));
        store.commit(new SlotWrite("s", 0, registered("s"), List.of(), List.of(event("e1", "s", T0)), List.of(), T0));
        store.commit(new SlotWrite("s", 1, registered("s"), List.of(), List.of(event("e2", "s", later)), List.of(),
                later));

        assertThat(store.prune(T0.plus(Duration.ofMinutes(30)), List.of())).isEqualTo(1);

        assertThat(store.outboxAfter(0, 10)).extracting(e -> e.event().id()).containsExactly("e2");
    }

    @Test
    public void outboxSequenceNumbersAreNeverReusedAfterPrune() {
        store.commit(new SlotWrite("s", 0, registered("s"), List.of(),
                List.of(event("e1", "s", T0), event("e2", "s", T0)), List.of(), T0));
        long last = lastSeq();
        store.saveCursor("webhooks", last);
        assertThat(store.prune(T0, List.of("webhooks"))).isEqualTo(2);
        assertThat(store.outboxAfter(0, 10)).isEmpty();

        store.commit(new SlotWrite("s", 1, registered("s"), List.of(), List.of(event("e3", "s", T0)), List.of(), T0));

        // Otherwise a subscriber whose cursor is at `last` would never see e3.
        assertThat(store.outboxAfter(last, 10)).extracting(e -> e.event().id()).containsExactly("e3");
    }

    @Test
    public void aStoreThatIsOpenIsReachable() {
        assertThat(store.isReachable()).isTrue();
    }

    // ---- fixtures ----

    /** The highest outbox seq so far, 0 when empty. */
    protected long lastSeq() {
        List<OutboxEntry> all = store.outboxAfter(0, Integer.MAX_VALUE);
        return all.isEmpty() ? 0 : all.get(all.size() - 1).seq();
    }

    protected static SlotConfig config() {
        return new SlotConfig("CI environment", "the shared one", List.of("alice@example.com"),
                List.of("bob@example.com", "ci-bot"), 60, 3600, T0, T0);
    }

    protected static SlotState registered(String id) {
        return SlotState.empty(id).withConfig(config());
    }

    protected static Hold hold(long fence, Instant at) {
        return new Hold("lock-" + fence, "build-42", "bob@example.com", "token-" + fence, fence, 300,
                List.of("job 42", "runner 7"), at, at, at.plusSeconds(300));
    }

    protected static Waiter waiter(String requestId, Instant at) {
        return new Waiter(requestId, "build-" + requestId, "ci-bot", 120, List.of(), at, at.plusSeconds(30));
    }

    protected static LockEvent event(String id, String slotId, Instant at) {
        return new LockEvent(id, EventType.LOCK_ACQUIRED, slotId, at,
                new LockEvent.EventData(slotId, "build-42", "bob@example.com", 1L, at.plusSeconds(300),
                        "bob@example.com", null));
    }

    protected static HistoryEntry historyEntry(String slotId, long fence, Instant endedAt) {
        return new HistoryEntry(slotId, fence, "build-42", "bob@example.com", endedAt.minusSeconds(30), endedAt,
                EndReason.RELEASED, "bob@example.com");
    }

    protected static Reply okReply(String requestId, String slotId) {
        return Reply.ok(requestId, slotId, 200, LockView.forHolder(slotId, hold(1, T0)));
    }

    protected static Reply errorReply(String requestId, String slotId) {
        return Reply.error(requestId, slotId, 404, "not_held", "slot " + slotId + " is not held");
    }

    /** A write of {@code state} alone, expecting the slot at {@code expectedVersion}. */
    protected static SlotWrite stateWrite(long expectedVersion, SlotState state) {
        return new SlotWrite(state.id(), expectedVersion, state, List.of(), List.of(), List.of(), T0);
    }

    /** What an acquire with wait does to a held slot: append a waiter, with its event and a 202-style reply. */
    private static SlotWrite joinLine(SlotState seen, String requestId) {
        List<Waiter> waiters = new ArrayList<>(seen.waiters());
        waiters.add(waiter(requestId, T0));
        return new SlotWrite(seen.id(), seen.version(), seen.withWaiters(waiters),
                List.of(errorReply(requestId, seen.id())), List.of(event("ev-" + requestId, seen.id(), T0)),
                List.of(), T0);
    }
}
