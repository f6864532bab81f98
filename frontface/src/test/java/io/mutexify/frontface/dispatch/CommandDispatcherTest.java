package io.mutexify.frontface.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.frontface.requests.RequestRoutes;
import io.mutexify.model.command.Actor;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.SlotReader;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.SlotState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class CommandDispatcherTest {
    private final RecordingQueue queue = new RecordingQueue();
    private final Map<String, Reply> stored = new ConcurrentHashMap<>();
    private final SlotReader reader = new SlotReader() {
        @Override
        public SlotState load(String slotId) {
            return SlotState.empty(slotId);
        }

        @Override
        public List<SlotState> loadAll() {
            return List.of();
        }

        @Override
        public Optional<Reply> findReply(String requestId) {
            return Optional.ofNullable(stored.get(requestId));
        }

        @Override
        public List<HistoryEntry> history(String slotId, int limit) {
            return List.of();
        }

        @Override
        public boolean isReachable() {
            return true;
        }
    };
    private final ReplyWaiter replies = new ReplyWaiter();
    private final CommandDispatcher dispatcher = new CommandDispatcher(queue, replies, Duration.ofMillis(200));
    private final RequestRoutes requests = new RequestRoutes(reader, replies, dispatcher.longWaits());

    private ApiResponse poll(String rid) {
        var get = new io.mutexify.frontface.http.ApiRequest("GET", "/api/v1/requests/" + rid, java.util.Map.of(), h -> null, null);
        return requests.get(get, new Actor("ann", false), rid).join();
    }

    private SlotCommand release(String rid) {
        return new SlotCommand.Release(rid, "s1", new Actor("ann", false), "tok");
    }

    @Test
    void aReplyInTimeBecomesTheResponse() {
        var answer = dispatcher.dispatch(release("r-1"), Duration.ZERO);
        assertThat(queue.sent()).extracting(SlotCommand::requestId).containsExactly("r-1");
        replies.send(Reply.noContent("r-1", "s1"));
        assertThat(answer.join().status()).isEqualTo(204);
    }

    @Test
    void noReplyInTimeAnswers202AndTheRequestResourceFollowsThrough() {
        ApiResponse first = dispatcher.dispatch(release("r-2"), Duration.ZERO).join();
        assertThat(first.status()).isEqualTo(202);
        assertThat(first.headers()).containsEntry("Location", "/api/v1/requests/r-2");

        assertThat(poll("r-2").status()).isEqualTo(202);

        Reply late = Reply.error("r-2", "s1", 404, "lock_not_found", "that token does not hold slot s1");
        stored.put("r-2", late); // the Lockkeeper commits before it sends
        replies.send(late);
        ApiResponse after = poll("r-2");
        assertThat(after.status()).isEqualTo(404);
        assertThat(new String(after.body(), StandardCharsets.UTF_8)).contains("\"error\":\"lock_not_found\"");
    }

    @Test
    void aFullQueueAnswers503WithRetryAfterAndForgetsTheRequest() {
        queue.fill();
        ApiResponse r = dispatcher.dispatch(release("r-3"), Duration.ZERO).join();
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.headers()).containsEntry("Retry-After", "1");
        assertThat(replies.isInFlight("r-3")).isFalse();
    }

    @Test
    void aRetryRefusedByAFullQueueLeavesTheFirstCallWaitingForItsAnswer() {
        var first = dispatcher.dispatch(waitingAcquire("r-4"), Duration.ofSeconds(30));
        queue.fill();
        ApiResponse retry = dispatcher.dispatch(waitingAcquire("r-4"), Duration.ofSeconds(30)).join();
        assertThat(retry.status()).isEqualTo(503);
        assertThat(retry.headers()).containsEntry("Retry-After", "1");
        assertThat(replies.isInFlight("r-4")).as("the first send is still in line").isTrue();

        replies.send(Reply.noContent("r-4", "s1"));
        assertThat(first.join().status()).isEqualTo(204);
    }

    @Test
    void aCallWhoseRequestWasForgottenByAConcurrentRefusedSendAnswers503NotAFailure() {
        var call = dispatcher.dispatch(release("r-5"), Duration.ofSeconds(30));
        replies.abandon("r-5"); // what a send of the same request, refused at the same moment, does
        ApiResponse r = call.join();
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.headers()).containsEntry("Retry-After", "1");
    }

    /** A host's watch the test closes by hand. */
    private static final class Closable implements io.mutexify.frontface.http.CallWatch {
        private Runnable onClosed;

        @Override
        public void onClosed(Runnable r) {
            onClosed = r;
        }

        void close() {
            if (onClosed != null) {
                onClosed.run();
            }
        }
    }

    private static SlotCommand.Acquire waitingAcquire(String rid) {
        return new SlotCommand.Acquire(rid, "s1", new Actor("ann", false), null, 60, List.of(), 30);
    }

    private List<SlotCommand> cancels() {
        return queue.sent().stream().filter(c -> c instanceof SlotCommand.CancelWait).toList();
    }

    @Test
    void aLongWaitTellsItsSlotHowLongItsFirstCallIsHeldAndAOneCallWaitDoesNot() {
        dispatcher.dispatchWaiting(new SlotCommand.Acquire("r-l1", "s1", new Actor("ann", false), null, 60, List.of(),
                3600), new Closable());
        dispatcher.dispatchWaiting(waitingAcquire("r-l2"), new Closable());

        assertThat(queue.sent()).extracting(c -> ((SlotCommand.Acquire) c).longWaitCallSeconds())
                .as("60 s of the wait and the 0.2 s reply timeout, rounded up").containsExactly(61, null);
    }

    @Test
    void aWaitingCallThatClosesBeforeItsAnswerTakesItsWaiterOutOfLine() {
        Closable call = new Closable();
        var answer = dispatcher.dispatchWaiting(waitingAcquire("r-w1"), call);

        call.close();

        assertThat(answer).as("ends now, not at its deadline").isCompleted();
        assertThat(answer.join().status()).isEqualTo(499);

        assertThat(cancels()).singleElement().satisfies(c -> {
            var cancel = (SlotCommand.CancelWait) c;
            assertThat(cancel.waiterRequestId()).isEqualTo("r-w1");
            assertThat(cancel.slotId()).isEqualTo("s1");
            assertThat(cancel.actor().principal()).isEqualTo("ann");
        });
        assertThat(replies.isInFlight("r-w1")).as("nothing will answer it").isFalse();
    }

    @Test
    void aRetryStillWaitingKeepsTheWaiterInLineUntilItClosesToo() {
        Closable first = new Closable();
        Closable retry = new Closable();
        dispatcher.dispatchWaiting(waitingAcquire("k-w2"), first);
        dispatcher.dispatchWaiting(waitingAcquire("k-w2"), retry);

        first.close();
        assertThat(cancels()).isEmpty();
        retry.close();
        assertThat(cancels()).hasSize(1);
    }

    @Test
    void aCallClosedAfterItsAnswerCancelsNothing() {
        Closable call = new Closable();
        var answer = dispatcher.dispatchWaiting(waitingAcquire("r-w3"), call);
        replies.send(Reply.error("r-w3", "s1", 409, "locked", "the lock was not free before the wait ended"));
        assertThat(answer.join().status()).isEqualTo(409);

        call.close();

        assertThat(cancels()).isEmpty();
    }

    @Test
    void idempotencyKeysMapToStableScopedIds() {
        String a = RequestIds.forCall("key-1", "ann", "POST", "/api/v1/locks/x");
        assertThat(RequestIds.forCall("key-1", "ann", "POST", "/api/v1/locks/x")).isEqualTo(a);
        assertThat(RequestIds.forCall("key-1", "bob", "POST", "/api/v1/locks/x")).isNotEqualTo(a);
        assertThat(RequestIds.forCall("key-1", "ann", "POST", "/api/v1/locks/y")).isNotEqualTo(a);
        assertThat(RequestIds.isWellFormed(a)).isTrue();
        assertThat(RequestIds.forCall(null, "ann", "POST", "/x")).isNotEqualTo(RequestIds.forCall(null, "ann", "POST", "/x"));
    }
}
