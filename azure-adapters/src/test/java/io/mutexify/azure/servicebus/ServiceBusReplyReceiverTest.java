package io.mutexify.azure.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.azure.core.util.BinaryData;
import com.azure.core.util.IterableStream;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSessionReceiverClient;
import io.mutexify.model.machine.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ServiceBusReplyReceiverTest {
    @Test
    void acceptsItsOwnSessionAndHandsEveryReplyOverThenCompletesIt() {
        ServiceBusSessionReceiverClient sessions = mock(ServiceBusSessionReceiverClient.class);
        ServiceBusReceiverClient receiver = mock(ServiceBusReceiverClient.class);
        when(sessions.acceptSession("ff-a")).thenReturn(receiver);
        ServiceBusReceivedMessage good = message(CommandCodec.encodeReply(Reply.noContent("r-1", "ci-1")), "r-1");
        ServiceBusReceivedMessage bad = message("not json".getBytes(), "r-2");
        when(receiver.receiveMessages(anyInt(), any(Duration.class)))
                .thenReturn(new IterableStream<>(List.of(good, bad)))
                .thenReturn(new IterableStream<>(List.of()));
        List<Reply> got = new CopyOnWriteArrayList<>();

        try (ServiceBusReplyReceiver r = new ServiceBusReplyReceiver(sessions, "ff-a", got::add)) {
            r.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 1);
            verify(receiver).complete(good);
            verify(receiver).deadLetter(bad);
            assertThat(got.get(0).requestId()).isEqualTo("r-1");
            assertThat(r.isConnected()).isTrue();
        }
    }

    private static ServiceBusReceivedMessage message(byte[] body, String correlationId) {
        ServiceBusReceivedMessage m = mock(ServiceBusReceivedMessage.class);
        when(m.getBody()).thenReturn(BinaryData.fromBytes(body));
        when(m.getCorrelationId()).thenReturn(correlationId);
        return m;
    }
}
