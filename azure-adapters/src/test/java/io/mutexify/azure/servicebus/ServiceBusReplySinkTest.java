package io.mutexify.azure.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import io.mutexify.model.machine.Reply;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class ServiceBusReplySinkTest {
    private final Map<String, ServiceBusSenderClient> senders = new HashMap<>();
    private final ServiceBusReplySink sink = new ServiceBusReplySink(q -> senders.computeIfAbsent(q, k -> mock(ServiceBusSenderClient.class)));

    @Test
    void aReplyGoesToTheCommandsReplyQueueAndSessionCorrelatedByRequestId() {
        sink.route("r-1", "mutexify-replies", "ff-a");
        sink.route("r-2", "mutexify-replies", "ff-b");
        sink.send(Reply.noContent("r-2", "ci-1"));
        sink.send(Reply.error("r-1", "ci-1", 409, "locked", "held"));

        ArgumentCaptor<ServiceBusMessage> sent = ArgumentCaptor.forClass(ServiceBusMessage.class);
        verify(senders.get("mutexify-replies"), org.mockito.Mockito.times(2)).sendMessage(sent.capture());
        ServiceBusMessage toB = sent.getAllValues().get(0);
        ServiceBusMessage toA = sent.getAllValues().get(1);
        assertThat(toB.getSessionId()).isEqualTo("ff-b");
        assertThat(toB.getCorrelationId()).isEqualTo("r-2");
        assertThat(toA.getSessionId()).isEqualTo("ff-a");
        assertThat(toA.getCorrelationId()).isEqualTo("r-1");
        assertThat(CommandCodec.decodeReply(toA.getBody().toBytes()).status()).isEqualTo(409);
        // The route is forgotten once used: the same reply again goes nowhere.
        sink.send(Reply.error("r-1", "ci-1", 409, "locked", "held"));
        verify(senders.get("mutexify-replies"), org.mockito.Mockito.times(2)).sendMessage(any(ServiceBusMessage.class));
    }

    @Test
    void aReplyWithoutAddressIsLeftToTheStore() {
        sink.route("r-timer", null, null);
        sink.send(Reply.noContent("r-timer", "ci-1"));
        assertThat(senders).isEmpty();
        ServiceBusSenderClient s = mock(ServiceBusSenderClient.class);
        verify(s, never()).sendMessage(any(ServiceBusMessage.class));
    }
}
