package io.mutexify.azure.functions.lockkeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import io.mutexify.azure.insights.OperationIds;
import io.mutexify.azure.servicebus.CommandCodec;
import io.mutexify.azure.servicebus.ServiceBusCommandQueue;
import io.mutexify.azure.servicebus.ServiceBusReplySink;
import io.mutexify.model.command.Actor;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.machine.Policy;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.FaultySlotStore;
import io.mutexify.model.port.InMemorySlotStore;
import io.mutexify.model.port.Telemetry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** The Lockkeeper function against Mockito mocks of the Service Bus senders, on the in-memory store. */
class LockkeeperServiceBusTest {
    private static final Actor ALICE = new Actor("alice", false);
    private final ServiceBusSenderClient replySender = mock(ServiceBusSenderClient.class);
    private final ServiceBusSenderClient requestSender = mock(ServiceBusSenderClient.class);
    /** Commits fail with a plain failure (not a store outage) while {@code failing} is set. */
    private final FaultySlotStore store = new FaultySlotStore(new InMemorySlotStore(),
            w -> new IllegalStateException("store unavailable"));
    private final LockkeeperFunctions functions = new LockkeeperFunctions();
    private LockkeeperApp app;

    @BeforeEach
    void wire() {
        ServiceBusReplySink replies = new ServiceBusReplySink(queue -> {
            assertThat(queue).isEqualTo("mutexify-replies");
            return replySender;
        });
        app = new LockkeeperApp(store, replies, new ServiceBusCommandQueue(requestSender, null, null),
                Policy.defaults(), Telemetry.NONE, null, 3, Duration.ofHours(24));
        LockkeeperApp.install(app);
    }

    @AfterEach
    void unwire() {
        LockkeeperApp.install(null);
    }

    private void deliver(SlotCommand c, String session, int deliveryCount) {
        functions.lockkeeper(new String(CommandCodec.encode(c), StandardCharsets.UTF_8), session, c.requestId(),
                "mutexify-replies", "ff-a", deliveryCount, Map.of(OperationIds.PROPERTY, "op-1"), null);
    }

    @Test
    void anAcquireIsRepliedOnTheFrontfaceSessionAndItsExpiryIsScheduled() {
        deliver(new SlotCommand.Acquire("r-1", "ci-1", ALICE, "job-1", 30, List.of(), 0), "ci-1", 1);

        ArgumentCaptor<ServiceBusMessage> reply = ArgumentCaptor.forClass(ServiceBusMessage.class);
        verify(replySender).sendMessage(reply.capture());
        assertThat(reply.getValue().getSessionId()).isEqualTo("ff-a");
        assertThat(reply.getValue().getCorrelationId()).isEqualTo("r-1");
        assertThat(reply.getValue().getApplicationProperties()).containsEntry(OperationIds.PROPERTY, "op-1");
        Reply r = CommandCodec.decodeReply(reply.getValue().getBody().toBytes());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.lock().fence()).isEqualTo(1);

        ArgumentCaptor<ServiceBusMessage> timer = ArgumentCaptor.forClass(ServiceBusMessage.class);
        ArgumentCaptor<OffsetDateTime> at = ArgumentCaptor.forClass(OffsetDateTime.class);
        verify(requestSender).scheduleMessage(timer.capture(), at.capture());
        verify(requestSender, never()).sendMessage(any(ServiceBusMessage.class));
        SlotCommand expire = CommandCodec.decode(timer.getValue().getBody().toBytes());
        assertThat(expire).isInstanceOf(SlotCommand.Expire.class);
        assertThat(timer.getValue().getSessionId()).isEqualTo("ci-1");
        assertThat(at.getValue().toInstant()).isEqualTo(r.lock().expireAt());
    }

    @Test
    void timersAreScheduledAgainAtStartUnderAFreshMessageId() {
        deliver(new SlotCommand.Acquire("r-1", "ci-1", ALICE, "job-1", 30, List.of(), 0), "ci-1", 1);
        app.rearmTimers();
        ArgumentCaptor<ServiceBusMessage> timers = ArgumentCaptor.forClass(ServiceBusMessage.class);
        verify(requestSender, times(2)).scheduleMessage(timers.capture(), any(OffsetDateTime.class));
        // Same timer (same command), but a message id of its own: duplicate detection must not drop the re-arm.
        assertThat(timers.getAllValues().get(1).getBody().toString()).isEqualTo(timers.getAllValues().get(0).getBody().toString());
        assertThat(timers.getAllValues().get(1).getMessageId()).isNotEqualTo(timers.getAllValues().get(0).getMessageId());
    }

    @Test
    void aRedeliveredCommandGetsItsStoredReplyAndChangesNothing() {
        SlotCommand.Acquire acquire = new SlotCommand.Acquire("r-1", "ci-1", ALICE, "job-1", 30, List.of(), 0);
        deliver(acquire, "ci-1", 1);
        deliver(acquire, "ci-1", 2);
        ArgumentCaptor<ServiceBusMessage> replies = ArgumentCaptor.forClass(ServiceBusMessage.class);
        verify(replySender, times(2)).sendMessage(replies.capture());
        assertThat(replies.getAllValues()).extracting(m -> CommandCodec.decodeReply(m.getBody().toBytes()))
                .allSatisfy(r -> assertThat(r.lock().fence()).isEqualTo(1));
        assertThat(store.load("ci-1").version()).isEqualTo(1);
    }

    @Test
    void aCommandThatKeepsFailingGetsAnErrorReplyOnTheLastAttemptAndIsThrownForDeadLettering() {
        store.failing.set(true);
        SlotCommand.Acquire acquire = new SlotCommand.Acquire("r-9", "ci-1", ALICE, "job-1", 30, List.of(), 0);
        for (int attempt = 1; attempt < 3; attempt++) {
            int n = attempt;
            assertThatThrownBy(() -> deliver(acquire, "ci-1", n)).isInstanceOf(RuntimeException.class);
            verify(replySender, never()).sendMessage(any(ServiceBusMessage.class));
        }
        // Attempt 3 = MaxDeliveryCount: the client hears "not carried out"; the throw lets Service Bus dead-letter it.
        assertThatThrownBy(() -> deliver(acquire, "ci-1", 3)).isInstanceOf(RuntimeException.class);
        ArgumentCaptor<ServiceBusMessage> reply = ArgumentCaptor.forClass(ServiceBusMessage.class);
        verify(replySender).sendMessage(reply.capture());
        assertThat(reply.getValue().getCorrelationId()).isEqualTo("r-9");
        Reply r = CommandCodec.decodeReply(reply.getValue().getBody().toBytes());
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.error()).isEqualTo("command_failed");
        assertThat(store.load("ci-1").version()).isZero();
    }

    @Test
    void aCommandOnAnotherSlotsSessionIsRefused() {
        assertThatThrownBy(() -> deliver(new SlotCommand.Release("r-2", "ci-1", ALICE, "t"), "ci-2", 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> functions.lockkeeper("not json", "ci-1", "m", null, null, 1, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        verify(replySender, never()).sendMessage(any(ServiceBusMessage.class));
    }

    @Test
    void theOperationIdIsReadFromTheApplicationProperties() {
        assertThat(LockkeeperFunctions.operationId(Map.of("mutexify-operation-id", "abc", "x", 1))).isEqualTo("abc");
        assertThat(LockkeeperFunctions.operationId(null)).isNull();
        assertThat(LockkeeperFunctions.operationId(Map.of("x", 1))).isNull();
    }
}
