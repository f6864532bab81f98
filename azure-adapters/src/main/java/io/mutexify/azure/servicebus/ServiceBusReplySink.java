package io.mutexify.azure.servicebus;

import com.azure.core.util.BinaryData;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mutexify.azure.insights.OperationIds;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.port.PendingRequests;
import io.mutexify.model.port.ReplySink;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lockkeeper's side of the reply queue. Before a command is handled its message's
 * {@code ReplyTo} and {@code ReplyToSessionId} are registered with {@link #route}; a reply to that
 * request then goes to that queue and session with {@code CorrelationId} = request id.
 *
 * <p>Routes are kept in memory for {@link #ROUTE_TTL} after registration, because an acquire that
 * waits is answered later, while another command (the release) is handled. A waiter granted by
 * another Lockkeeper instance (the session moved, or this one restarted) has no route here: its
 * address is read from the durable {@link PendingRequests} record the Frontface wrote before sending.
 * Without either, the reply is not sent: it is in the store already, and the client gets it from
 * {@code GET /api/v1/requests/{id}} after its 202. Each reply message has a MessageId of its own.
 */
public final class ServiceBusReplySink implements ReplySink {
    private static final Logger log = LoggerFactory.getLogger(ServiceBusReplySink.class);
    /** Longer than the longest wait (60 s) plus the reply timeout, with room to spare. */
    static final Duration ROUTE_TTL = Duration.ofMinutes(5);

    private final Function<String, ServiceBusSenderClient> senders;
    private final Clock clock;
    private final PendingRequests addresses;
    private final Map<String, Route> routes;
    private final Map<String, ServiceBusSenderClient> senderByQueue = new ConcurrentHashMap<>();

    private record Route(String queue, String session, String operationId) {
    }

    /** @param senders makes (once per queue) a sender on the named reply queue */
    public ServiceBusReplySink(Function<String, ServiceBusSenderClient> senders, Clock clock) {
        this(senders, clock, PendingRequests.NONE);
    }

    /** @param addresses durable reply addresses, for requests whose route this instance never saw */
    public ServiceBusReplySink(Function<String, ServiceBusSenderClient> senders, Clock clock,
                               PendingRequests addresses) {
        this.senders = Objects.requireNonNull(senders, "senders");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.addresses = Objects.requireNonNull(addresses, "addresses");
        // Expiry on the sink's clock, so a route lives ROUTE_TTL of the same time the rest of the sink sees.
        this.routes = Caffeine.newBuilder().expireAfterWrite(ROUTE_TTL)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run).<String, Route>build().asMap();
    }

    public ServiceBusReplySink(Function<String, ServiceBusSenderClient> senders) {
        this(senders, Clock.systemUTC());
    }

    /** Where the reply to {@code requestId} goes; a message without {@code ReplyTo} (a timer) registers nothing. */
    public void route(String requestId, String replyTo, String replyToSessionId) {
        if (replyTo == null || replyTo.isBlank() || replyToSessionId == null || replyToSessionId.isBlank()) {
            return;
        }
        routes.put(requestId, new Route(replyTo, replyToSessionId, OperationIds.current()));
    }

    @Override
    public void send(Reply reply) {
        Route route = routes.remove(reply.requestId());
        if (route == null) {
            route = addresses.replyAddress(reply.requestId())
                    .map(a -> new Route(a.queue(), a.session(), OperationIds.current()))
                    .orElse(null);
        }
        if (route == null) {
            log.info("reply to {} has no reply address here; the client reads it from the store", reply.requestId());
            return;
        }
        ServiceBusMessage message = new ServiceBusMessage(BinaryData.fromBytes(CommandCodec.encodeReply(reply)))
                .setSessionId(route.session)
                .setCorrelationId(reply.requestId())
                .setMessageId(MessageIds.perSend("reply:" + reply.requestId()))
                .setContentType("application/json");
        if (route.operationId != null) {
            message.getApplicationProperties().put(OperationIds.PROPERTY, route.operationId);
        }
        senderByQueue.computeIfAbsent(route.queue, senders).sendMessage(message);
    }

    /** Closes the senders this sink opened. */
    public void close() {
        senderByQueue.values().forEach(ServiceBusSenderClient::close);
        senderByQueue.clear();
    }
}
