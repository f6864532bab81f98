package io.mutexify.azure.functions.frontface;

import static io.mutexify.azure.functions.frontface.AzureRig.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.azure.functions.HttpMethod;
import io.mutexify.azure.cosmos.CosmosTestServer;
import io.mutexify.model.machine.Policy;
import io.mutexify.model.slot.Waiter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Long waits on the Azure shape, with two Frontface instances: the slot machine keeps each long
 * wait's poll deadline, so polls reaching either instance keep a waiter in line, a waiter nobody
 * polls leaves it within the grace and is never granted, and {@code DELETE} works from an instance
 * that did not send the wait, giving the request one final answer on every instance. One test, so the 60 s every long wait's first call is held is paid once.
 */
@ExtendWith(CosmosTestServer.class)
class AzureLongWaitPollsTest {
    private static final Duration GRACE = Duration.ofSeconds(2);
    /** The Lockkeeper's timers are scheduled messages; the double delivers them within 20 ms, the store adds its own time. */
    private static final Duration SLACK = Duration.ofSeconds(3);
    private final AzureRig rig = new AzureRig(3).policy(Policy.defaults().withPollGrace(GRACE));

    @AfterEach
    void close() {
        rig.close();
    }

    private List<String> owners(String slot) {
        return rig.keeperStore.load(slot).waiters().stream().map(Waiter::owner).toList();
    }

    private static String requestId(String location) {
        return location.substring("/api/v1/requests/".length());
    }

    @Test
    void aPolledLongWaitIsGrantedAnUnpolledOneLeavesTheLineAndIsNeverGrantedAndDeleteWorksAnywhere() throws Exception {
        int a = rig.addFrontface(Duration.ofSeconds(1));
        int b = rig.addFrontface(Duration.ofSeconds(1));
        rig.startLockkeeper();
        FakeRequest.Response held = answered(a, rig.acquire(a, "lw", "{\"owner\":\"holder\",\"timeout\":600}", null));
        FakeRequest.Response heldToo = answered(b, rig.acquire(b, "lw-del", "{\"owner\":\"holder\",\"timeout\":600}", null));
        assertThat(held.getStatusCode()).as(held.text()).isEqualTo(200);
        assertThat(heldToo.getStatusCode()).as(heldToo.text()).isEqualTo(200);

        // Three long waits (an hour each): "gone" and then "polled" behind the holder of lw, "cancelled" on lw-del.
        CompletableFuture<FakeRequest.Response> gone = CompletableFuture.supplyAsync(() ->
                rig.acquire(a, "lw", "{\"owner\":\"gone\",\"timeout\":60,\"wait\":3600}", "gone-1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> owners("lw").equals(List.of("gone")));
        CompletableFuture<FakeRequest.Response> polled = CompletableFuture.supplyAsync(() ->
                rig.acquire(b, "lw", "{\"owner\":\"polled\",\"timeout\":60,\"wait\":3600}", "polled-1"));
        CompletableFuture<FakeRequest.Response> cancelled = CompletableFuture.supplyAsync(() ->
                rig.acquire(a, "lw-del", "{\"owner\":\"cancelled\",\"timeout\":60,\"wait\":3600}", "cancelled-1"));

        // One call holds at most 60 s (plus the reply timeout), then 202 and a Location.
        FakeRequest.Response goneAccepted = gone.get(90, TimeUnit.SECONDS);
        long goneAnswered = System.nanoTime();
        FakeRequest.Response polledAccepted = polled.get(90, TimeUnit.SECONDS);
        assertThat(goneAccepted.getStatusCode()).as(goneAccepted.text()).isEqualTo(202);
        assertThat(polledAccepted.getStatusCode()).as(polledAccepted.text()).isEqualTo(202);
        String goneAt = goneAccepted.getHeader("Location");
        String polledAt = polledAccepted.getHeader("Location");

        FakeRequest.Response cancelledAccepted = cancelled.get(30, TimeUnit.SECONDS);
        assertThat(cancelledAccepted.getStatusCode()).as(cancelledAccepted.text()).isEqualTo(202);
        String cancelledAt = cancelledAccepted.getHeader("Location");

        // Their clients long-poll their requests on A and B in turn, as calls land on any instance.
        Poller polledClient = new Poller(a, b, polledAt);
        Poller cancellingClient = new Poller(a, b, cancelledAt);

        // Nobody polls "gone": it leaves the line within the grace (and the timer's slack) of its 202.
        await().atMost(GRACE.plus(SLACK).plusSeconds(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> !owners("lw").contains("gone"));
        long leftAfterMs = (System.nanoTime() - goneAnswered) / 1_000_000;
        System.out.printf("an unpolled long wait left the line %d ms after its 202 (grace %d s)%n", leftAfterMs,
                GRACE.toSeconds());
        assertThat(leftAfterMs).isLessThanOrEqualTo(GRACE.plus(SLACK).toMillis());

        // "polled" stays in line well past the grace, kept there by polls on both instances.
        Thread.sleep(GRACE.multipliedBy(3).toMillis());
        assertThat(owners("lw")).containsExactly("polled");
        assertThat(polledClient.polls.get()).as("polls on both instances").isGreaterThanOrEqualTo(4);

        // The holder releases afterwards: the lock goes to "polled", never to "gone".
        FakeRequest.Response released = rig.delete(a, "/api/v1/locks/lw/" + json(held).path("token").asText());
        assertThat(released.getStatusCode()).as(released.text()).isEqualTo(204);
        FakeRequest.Response answer = polledClient.answer.get(15, TimeUnit.SECONDS);
        assertThat(answer.getStatusCode()).as(answer.text()).isEqualTo(200);
        assertThat(json(answer).path("owner").asText()).isEqualTo("polled");
        assertThat(rig.keeperStore.load("lw").hold().owner()).isEqualTo("polled");

        // "gone" has its one answer: a 409 on either instance, and the same for a retry of its key.
        for (int i : new int[] {a, b}) {
            FakeRequest.Response asked = rig.get(i, goneAt);
            assertThat(asked.getStatusCode()).as(asked.text()).isEqualTo(409);
            assertThat(json(asked).path("message").asText()).contains("not polled");
        }
        FakeRequest.Response retried = rig.acquire(b, "lw", "{\"owner\":\"gone\",\"timeout\":60,\"wait\":3600}", "gone-1");
        assertThat(retried.getStatusCode()).as(retried.text()).isEqualTo(409);
        assertThat(json(retried).path("message").asText()).contains("not polled");
        assertThat(owners("lw")).isEmpty();

        // DELETE on B (which never saw the wait), while its client long-polls on A (which sent it): not
        // by another principal, then by its own.
        assertThat(owners("lw-del")).containsExactly("cancelled");
        cancellingClient.stop();
        CompletableFuture<FakeRequest.Response> pollOnA = CompletableFuture.supplyAsync(() ->
                rig.get(a, cancelledAt + "?wait=30s"));
        assertThat(rig.frontface(a).replies().isInFlightHere(requestId(cancelledAt))).as("A sent it").isTrue();
        Thread.sleep(500); // the long poll is under way on A
        FakeRequest.Response byBob = rig.call(b, new FakeRequest(HttpMethod.DELETE, cancelledAt, null)
                .header("Authorization", "Bearer " + rig.token("bob@example.com")));
        assertThat(byBob.getStatusCode()).as(byBob.text()).isEqualTo(404);
        long deleted = System.nanoTime();
        FakeRequest.Response byAlice = rig.delete(b, cancelledAt);
        assertThat(byAlice.getStatusCode()).as(byAlice.text()).isEqualTo(204);

        // The slot answers the withdrawn wait on its own reply route: A's long poll ends with that
        // answer at once (not at its 30 s), and A no longer holds the request in flight.
        FakeRequest.Response polledOnA = pollOnA.get(15, TimeUnit.SECONDS);
        long answeredMs = (System.nanoTime() - deleted) / 1_000_000;
        System.out.printf("a long poll on A answered %d ms after the DELETE on B%n", answeredMs);
        assertThat(polledOnA.getStatusCode()).as(polledOnA.text()).isEqualTo(409);
        assertThat(json(polledOnA).path("message").asText()).contains("cancelled");
        assertThat(answeredMs).as("woken by the reply, not by its own timeout").isLessThan(15_000);
        assertThat(rig.frontface(a).replies().isInFlightHere(requestId(cancelledAt))).isFalse();
        assertThat(owners("lw-del")).isEmpty();
        assertThat(rig.keeperStore.findReply(requestId(cancelledAt))).as("stored as the request's one answer")
                .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(409));

        // One answer everywhere: later polls on A and on B, and retries of its key on both.
        String finalAnswer = polledOnA.text();
        for (int i : new int[] {a, b}) {
            FakeRequest.Response asked = rig.get(i, cancelledAt);
            assertThat(asked.getStatusCode()).as(asked.text()).isEqualTo(409);
            assertThat(asked.text()).isEqualTo(finalAnswer);
            FakeRequest.Response longPolled = rig.get(i, cancelledAt + "?wait=5s");
            assertThat(longPolled.text()).isEqualTo(finalAnswer);
            FakeRequest.Response again = rig.acquire(i, "lw-del",
                    "{\"owner\":\"cancelled\",\"timeout\":60,\"wait\":3600}", "cancelled-1");
            assertThat(again.getStatusCode()).as(again.text()).isEqualTo(409);
            assertThat(again.text()).isEqualTo(finalAnswer);
        }
        FakeRequest.Response deletedAgain = rig.delete(a, cancelledAt);
        assertThat(deletedAgain.getStatusCode()).as("answered already").isEqualTo(404);

        // The withdrawn waiter is never granted: its slot goes free when its holder releases.
        FakeRequest.Response releasedToo = rig.delete(b, "/api/v1/locks/lw-del/" + json(heldToo).path("token").asText());
        assertThat(releasedToo.getStatusCode()).as(releasedToo.text()).isEqualTo(204);
        assertThat(rig.keeperStore.load("lw-del").holds()).isEmpty();
        assertThat(owners("lw-del")).isEmpty();
        assertThat(rig.get(a, cancelledAt).text()).isEqualTo(finalAnswer);
    }

    /** {@code r}, or the answer its request gets when it was a 202 (a cold store may outlast the 1 s reply timeout). */
    private FakeRequest.Response answered(int instance, FakeRequest.Response r) {
        return r.getStatusCode() == 202 ? rig.get(instance, r.getHeader("Location") + "?wait=30s") : r;
    }

    /** A client polling {@code location} on two instances in turn, a 1 s long poll each, until it has an answer or is stopped. */
    private final class Poller {
        final AtomicInteger polls = new AtomicInteger();
        final CompletableFuture<FakeRequest.Response> answer;
        private final AtomicBoolean stopped = new AtomicBoolean();

        Poller(int first, int second, String location) {
            answer = CompletableFuture.supplyAsync(() -> {
                while (!stopped.get()) {
                    FakeRequest.Response r = rig.get(polls.getAndIncrement() % 2 == 0 ? first : second,
                            location + "?wait=1s");
                    if (r.getStatusCode() != 202) {
                        return r;
                    }
                }
                return null;
            });
        }

        /** Stops after the poll under way. */
        void stop() throws Exception {
            stopped.set(true);
            answer.get(10, TimeUnit.SECONDS);
        }
    }
}
