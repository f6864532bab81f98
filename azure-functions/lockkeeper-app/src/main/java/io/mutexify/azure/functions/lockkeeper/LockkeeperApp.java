package io.mutexify.azure.functions.lockkeeper;

import io.mutexify.azure.cosmos.CosmosSlotStore;
import io.mutexify.azure.eventgrid.EventGridPublisher;
import io.mutexify.azure.eventgrid.EventGridSettings;
import io.mutexify.azure.insights.AppInsightsTelemetry;
import io.mutexify.azure.insights.OperationIds;
import io.mutexify.azure.servicebus.CommandCodec;
import io.mutexify.azure.servicebus.ServiceBusClients;
import io.mutexify.azure.servicebus.ServiceBusCommandQueue;
import io.mutexify.azure.servicebus.ServiceBusReplySink;
import io.mutexify.lockkeeper.Lockkeeper;
import io.mutexify.lockkeeper.outbox.OutboxRelay;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.machine.Policy;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.machine.SlotMachine;
import io.mutexify.model.port.CommandQueue;
import io.mutexify.model.port.SlotStore;
import io.mutexify.model.port.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lockkeeper of one function app instance: the same {@link Lockkeeper} core as the embedded
 * server, on Cosmos DB, replying through the reply queue, scheduling timers on the request queue,
 * and relaying the outbox to Event Grid. Built once, on the first message.
 *
 * <p>Poison messages: a message whose handling throws is thrown back to the host, which abandons it,
 * and Service Bus delivers it again (to the same session, so order holds). On the attempt numbered
 * {@code MUTEXIFY_MAX_DELIVERY_COUNT} (set it to the queue's MaxDeliveryCount) the client is first
 * sent an error reply (503 {@code command_failed}, "not carried out"), then the exception is thrown
 * once more and Service Bus moves the message to the dead-letter queue. It never loops.
 */
public final class LockkeeperApp {
    private static final Logger log = LoggerFactory.getLogger(LockkeeperApp.class);
    private static volatile LockkeeperApp instance;

    private final SlotStore store;
    private final Lockkeeper lockkeeper;
    private final ServiceBusReplySink replies;
    private final OutboxRelay relay;
    private final int maxDeliveryCount;
    private final Duration replyRetention;

    /** @param relay the Event Grid relay (started by the caller), or null */
    public LockkeeperApp(SlotStore store, ServiceBusReplySink replies, CommandQueue timers, Policy policy,
                         Telemetry telemetry, OutboxRelay relay, int maxDeliveryCount, Duration replyRetention) {
        this.store = Objects.requireNonNull(store, "store");
        this.replies = Objects.requireNonNull(replies, "replies");
        this.relay = relay;
        this.maxDeliveryCount = maxDeliveryCount;
        this.replyRetention = replyRetention;
        this.lockkeeper = Lockkeeper.builder()
                .store(store)
                .machine(new SlotMachine(policy))
                .replies(replies)
                .timers(timers)
                .telemetry(telemetry)
                .eventsCommitted(relay == null ? () -> { } : relay::wake)
                .build();
    }

    /** The app of this JVM, built from the environment on first use. */
    public static LockkeeperApp get() {
        LockkeeperApp app = instance;
        if (app == null) {
            synchronized (LockkeeperApp.class) {
                app = instance;
                if (app == null) {
                    app = fromEnvironment(System.getenv());
                    instance = app;
                }
            }
        }
        return app;
    }

    /** Replaces the app of this JVM (tests wire their own). */
    public static void install(LockkeeperApp app) {
        instance = app;
    }

    static LockkeeperApp fromEnvironment(Map<String, String> env) {
        LockkeeperSettings s = LockkeeperSettings.fromEnvironment(env);
        CosmosSlotStore store = CosmosSlotStore.open(s.cosmos(), s.replyRetention());
        // A waiter granted here whose request another instance saw finds its reply address in the store.
        ServiceBusReplySink replies = new ServiceBusReplySink(queue -> ServiceBusClients.sender(s.serviceBus(), queue),
                Clock.systemUTC(), store.pendingRequests());
        CommandQueue timers = new ServiceBusCommandQueue(
                ServiceBusClients.sender(s.serviceBus(), s.serviceBus().requestQueue()), null, null);
        OutboxRelay relay = null;
        if (s.eventGrid() != null) {
            relay = new OutboxRelay(EventGridSettings.SUBSCRIBER, store, EventGridPublisher.create(s.eventGrid(), null));
            relay.start();
        } else {
            log.warn("{} is not set: events stay in the outbox until it is", EventGridSettings.ENDPOINT);
        }
        LockkeeperApp app = new LockkeeperApp(store, replies, timers, s.policy(), AppInsightsTelemetry.of(s.insights()),
                relay, s.serviceBus().maxDeliveryCount(), s.replyRetention());
        app.rearmTimers();
        log.info("Lockkeeper ready: {}, policy {}", s.serviceBus(), s.policy());
        return app;
    }

    /**
     * Schedules every stored slot's expiry and end-of-wait timers again. A process that died between
     * a commit and scheduling its timer would otherwise leave a waiter unserved until the slot's next
     * command. (A redelivered command re-arms its slot's timers itself: see {@code Lockkeeper}.)
     * Duplicates are harmless: an extra expiry of a fence that is gone, or an end of a wait that is
     * over, changes nothing. A failure here only logs.
     */
    void rearmTimers() {
        try {
            log.info("re-armed {} timers", lockkeeper.rearmTimers());
        } catch (RuntimeException e) {
            log.warn("could not re-arm timers at start; they fire with the slots' next commands: {}", e.toString());
        }
    }

    /** Handles one message of a slot's session; throws to have Service Bus deliver it again (or dead-letter it). */
    public void handle(Delivery d) {
        SlotCommand command = CommandCodec.decode(d.body());
        if (!command.slotId().equals(d.sessionId())) {
            // Never apply a command on another slot's session: that would break one-writer-per-slot.
            throw new IllegalArgumentException("command for slot " + command.slotId() + " arrived on session " + d.sessionId());
        }
        OperationIds.with(d.operationId(), () -> {
            replies.route(command.requestId(), d.replyTo(), d.replyToSessionId());
            try {
                lockkeeper.handle(command.slotId(), List.of(command));
            } catch (RuntimeException e) {
                if (d.deliveryCount() >= maxDeliveryCount) {
                    giveUp(command, e);
                }
                throw e;
            }
            return null;
        });
    }

    /** The last attempt failed too: tell the client, so it is not left waiting; the message is then dead-lettered. */
    private void giveUp(SlotCommand command, RuntimeException cause) {
        log.error("command {} on slot {} failed {} times; answering it with an error and dead-lettering it",
                command.requestId(), command.slotId(), maxDeliveryCount, cause);
        if (!command.fromClient()) {
            return;
        }
        try {
            replies.send(Reply.error(command.requestId(), command.slotId(), 503, "command_failed",
                    "the command could not be applied; it was not carried out, retry later"));
        } catch (RuntimeException e) {
            log.warn("could not send the error reply to {}: {}", command.requestId(), e.toString());
        }
    }

    /**
     * Forgets old replies and delivered events (hourly timer). On a container with TTL (what infra/
     * deploys) Cosmos DB deletes them itself and this reads nothing; the listing prune runs only on a
     * container without TTL.
     */
    public int prune(Instant now) {
        List<String> subscribers = relay == null ? List.of() : List.of(relay.subscriber());
        return store.prune(now.minus(replyRetention), subscribers);
    }
}
