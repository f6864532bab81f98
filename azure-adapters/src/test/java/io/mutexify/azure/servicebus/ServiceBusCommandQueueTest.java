package io.mutexify.azure.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import io.mutexify.azure.insights.OperationIds;
import io.mutexify.model.command.Actor;
import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.port.PendingRequests;
import io.mutexify.model.port.QueueFullException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class ServiceBusCommandQueueTest {
    private final ServiceBusSenderClient sender = mock(ServiceBusSenderClient.class);
    private final ServiceBusCommandQueue queue = new ServiceBusCommandQueue(sender, "mutexify-replies", "ff-instance-1");
    private final SlotCommand.Acquire acquire =
            new SlotCommand.Acquire("r-42", "ci-env-1", new Actor("alice", false), "job", 60, List.of(), 0);

    @Test
    void aCommandTravelsOnItsSlotsSessionWithItsRequestIdAndReplyAddress() {
        OperationIds.with("op-7", () -> {
            queue.send(acquire);
            return null;
        });
        ArgumentCaptor<ServiceBusMessage> sent = ArgumentCaptor.forClass(ServiceBusMessage.class);
        verify(sender).sendMessage(sent.capture());
        ServiceBusMessage m = sent.getValue();
        assertThat(m.getSessionId()).isEqualTo("ci-env-1");
        assertThat(m.getMessageId()).startsWith("r-42/");
        assertThat(m.getReplyTo()).isEqualTo("mutexify-replies");
        assertThat(m.getReplyToSessionId()).isEqualTo("ff-instance-1");
        assertThat(m.getContentType()).isEqualTo("application/json");
        assertThat(m.getApplicationProperties()).containsEntry(OperationIds.PROPERTY, "op-7");
        assertThat(CommandCodec.decode(m.getBody().toBytes())).isEqualTo(acquire);
    }

    @Test
    void anExpiryIsAScheduledMessageDeliveredAtItsTime() {
        Instant at = Instant.parse("2026-11-22T12:00:00Z");
        SlotCommand.Expire expire = SlotCommand.Expire.of("ci-env-1", 3, at);
        new ServiceBusCommandQueue(sender, null, null).schedule(new ScheduledCommand(at, expire));
        ArgumentCaptor<ServiceBusMessage> sent = ArgumentCaptor.forClass(ServiceBusMessage.class);
        ArgumentCaptor<OffsetDateTime> when = ArgumentCaptor.forClass(OffsetDateTime.class);
        verify(sender).scheduleMessage(sent.capture(), when.capture());
        verify(sender, never()).sendMessage(any(ServiceBusMessage.class));
        assertThat(when.getValue().toInstant()).isEqualTo(at);
        assertThat(sent.getValue().getSessionId()).isEqualTo("ci-env-1");
        assertThat(sent.getValue().getMessageId()).startsWith(expire.requestId() + "/");
        assertThat(sent.getValue().getReplyTo()).isNull();
        assertThat(CommandCodec.decode(sent.getValue().getBody().toBytes())).isEqualTo(expire);
    }

    @Test
    void everySendHasAMessageIdOfItsOwnEvenForLongTimerIds() {
        // The store answers repeats; broker dedup by request id would drop a retry or a re-armed timer.
        String slot = "s".repeat(128);
        SlotCommand.EndWait endWait = SlotCommand.EndWait.of(slot, "r-" + "x".repeat(40), Instant.EPOCH);
        ServiceBusMessage a = queue.toMessage(endWait);
        ServiceBusMessage b = queue.toMessage(endWait);
        assertThat(a.getMessageId()).hasSizeLessThanOrEqualTo(128).isNotEqualTo(b.getMessageId());
        assertThat(b.getMessageId()).hasSizeLessThanOrEqualTo(128);
        assertThat(queue.toMessage(acquire).getMessageId()).isNotEqualTo(queue.toMessage(acquire).getMessageId());
        assertThat(a.getReplyTo()).as("timers get no reply").isNull();
    }

    @Test
    void aFullQueueAsksTheCallerToRetry() {
        ServiceBusException quota = mock(ServiceBusException.class);
        org.mockito.Mockito.when(quota.getReason()).thenReturn(ServiceBusFailureReason.QUOTA_EXCEEDED);
        doThrow(quota).when(sender).sendMessage(any(ServiceBusMessage.class));
        assertThatThrownBy(() -> queue.send(acquire)).isInstanceOf(QueueFullException.class);
        assertThat(queue.isReachable()).isFalse();
    }

    @Test
    void aClientCommandIsRecordedAsPendingBeforeItIsSentAndNotSentIfThatFails() {
        List<String> order = new java.util.ArrayList<>();
        PendingRequests pending = new PendingRequests() {
            @Override
            public void sent(SlotCommand command, PendingRequests.ReplyAddress replyTo) {
                order.add("pending " + command.requestId() + " " + command.slotId() + " " + replyTo.queue() + "/"
                        + replyTo.session());
                if (command.requestId().equals("r-down")) {
                    throw new IllegalStateException("store down");
                }
            }

            @Override
            public boolean isPending(String requestId) {
                return false;
            }

            @Override
            public java.util.Optional<PendingRequests.ReplyAddress> replyAddress(String requestId) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<PendingRequests.LongWait> longWait(String requestId) {
                return java.util.Optional.empty();
            }
        };
        org.mockito.Mockito.doAnswer(inv -> order.add("sent")).when(sender).sendMessage(any(ServiceBusMessage.class));
        ServiceBusCommandQueue recorded = new ServiceBusCommandQueue(sender, "mutexify-replies", "ff-instance-1", pending);

        recorded.send(acquire);
        assertThat(order).containsExactly("pending r-42 ci-env-1 mutexify-replies/ff-instance-1", "sent");

        SlotCommand.Acquire down = new SlotCommand.Acquire("r-down", "ci-env-1", new Actor("alice", false), "job", 60,
                List.of(), 0);
        assertThatThrownBy(() -> recorded.send(down)).isInstanceOf(QueueFullException.class);
        assertThat(order).hasSize(3).doesNotHaveDuplicates().last().asString().startsWith("pending r-down");
    }
}
