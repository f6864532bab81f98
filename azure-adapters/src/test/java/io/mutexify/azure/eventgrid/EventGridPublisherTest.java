package io.mutexify.azure.eventgrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import io.mutexify.lockkeeper.Lockkeeper;
import io.mutexify.lockkeeper.outbox.OutboxRelay;
import io.mutexify.lockkeeper.outbox.RelaySettings;
import io.mutexify.model.command.Actor;
import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.command.SlotSpec;
import io.mutexify.model.machine.Policy;
import io.mutexify.model.machine.SlotMachine;
import io.mutexify.model.port.CommandQueue;
import io.mutexify.model.port.InMemorySlotStore;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lockkeeper → outbox → {@link OutboxRelay} → {@link EventGridPublisher} → a local HTTPS topic. */
class EventGridPublisherTest {
    private static final Actor ALICE = new Actor("alice", false);
    @TempDir
    Path dir;
    private HttpsReceiver topic;
    private InMemorySlotStore store;
    private OutboxRelay relay;
    private Lockkeeper lockkeeper;

    @BeforeEach
    void start() throws Exception {
        topic = new HttpsReceiver(dir);
        store = new InMemorySlotStore();
        HttpClient trustingTheTopic = new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
                .secure(spec -> {
                    try {
                        spec.sslContext(SslContextBuilder.forClient().trustManager(topic.certificate()).build());
                    } catch (javax.net.ssl.SSLException e) {
                        throw new IllegalStateException(e);
                    }
                })).build();
        EventGridPublisher publisher = EventGridPublisher.create(new EventGridSettings(topic.endpoint(), "topic-key"), trustingTheTopic);
        relay = new OutboxRelay(EventGridSettings.SUBSCRIBER, store, publisher,
                new RelaySettings(100, Duration.ofMillis(50), Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(5)));
        lockkeeper = Lockkeeper.builder().store(store).machine(new SlotMachine(Policy.defaults()))
                .replies(r -> { }).timers(new NoTimers()).eventsCommitted(relay::wake).build();
        relay.start();
        lockkeeper.handle("ci-1", List.of(new SlotCommand.CreateSlot("r-0", "ci-1", ALICE, SlotSpec.none())));
        await().atMost(Duration.ofSeconds(20)).until(() -> topic.accepted.size() == 1);
        topic.accepted.clear();
    }

    @AfterEach
    void stop() {
        relay.close();
        topic.close();
    }

    @Test
    void anAcquireIsOneCloudEventWithTypeSourceSubjectAndId() {
        lockkeeper.handle("ci-1", List.of(new SlotCommand.Acquire("r-1", "ci-1", ALICE, "job-1", 60, List.of(), 0)));
        await().atMost(Duration.ofSeconds(20)).until(() -> relay.delivered() >= store.outboxAfter(0, 100).size() && !topic.accepted.isEmpty());
        assertThat(topic.accepted).hasSize(1);
        JsonNode e = topic.accepted.get(0);
        assertThat(e.path("specversion").asText()).isEqualTo("1.0");
        assertThat(e.path("type").asText()).isEqualTo("io.mutexify.lock.acquired");
        assertThat(e.path("source").asText()).isEqualTo("/slots/ci-1");
        assertThat(e.path("subject").asText()).isEqualTo("ci-1");
        assertThat(e.path("id").asText()).isEqualTo(store.outboxAfter(0, 100).get(1).event().id());
        assertThat(e.path("data").path("owner").asText()).isEqualTo("job-1");
        assertThat(e.path("data").path("fence").asLong()).isEqualTo(1);
        assertThat(topic.keys).containsOnly("topic-key");
    }

    @Test
    void aGrantOfAPoolsUnitCarriesTheUnit() {
        lockkeeper.handle("envs", List.of(new SlotCommand.CreateSlot("r-c", "envs", ALICE,
                new SlotSpec(null, null, null, null, null, null, null, List.of("env-1", "env-2"), null))));
        lockkeeper.handle("envs", List.of(new SlotCommand.Acquire("r-3", "envs", ALICE, "job-3", 60, List.of(), 0, "env-2")));
        await().atMost(Duration.ofSeconds(20)).until(() -> topic.accepted.stream()
                .anyMatch(e -> e.path("type").asText().equals("io.mutexify.lock.acquired")));
        JsonNode e = topic.accepted.stream()
                .filter(x -> x.path("type").asText().equals("io.mutexify.lock.acquired")).findFirst().orElseThrow();
        assertThat(e.path("data").path("unit").asText()).isEqualTo("env-2");
        assertThat(e.path("data").path("slot").asText()).isEqualTo("envs");
    }

    @Test
    void aTopicThatFailsTwiceStillGetsTheEventOnceAcceptedWithTheSameId() {
        topic.failuresLeft.set(2);
        int before = topic.requests.get();
        lockkeeper.handle("ci-1", List.of(new SlotCommand.Acquire("r-2", "ci-1", ALICE, "job-2", 60, List.of(), 0)));
        await().atMost(Duration.ofSeconds(20)).until(() -> !topic.accepted.isEmpty());
        assertThat(topic.requests.get() - before).isEqualTo(3);
        assertThat(topic.accepted).hasSize(1);
        assertThat(topic.accepted.get(0).path("type").asText()).isEqualTo("io.mutexify.lock.acquired");
        assertThat(topic.accepted.get(0).path("id").asText()).isEqualTo(store.outboxAfter(0, 100).get(1).event().id());
    }

    /** Timers are not what this test is about. */
    private static final class NoTimers implements CommandQueue {
        @Override
        public void send(SlotCommand command) {
        }

        @Override
        public void schedule(ScheduledCommand scheduled) {
        }

        @Override
        public boolean isReachable() {
            return true;
        }
    }
}
