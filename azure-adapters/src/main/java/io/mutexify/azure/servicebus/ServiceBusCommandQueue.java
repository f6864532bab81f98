package io.mutexify.azure.servicebus;

import com.azure.core.util.BinaryData;
import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import io.mutexify.azure.insights.OperationIds;
import io.mutexify.model.command.ScheduledCommand;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.port.CommandQueue;
import io.mutexify.model.port.PendingRequests;
import io.mutexify.model.port.PendingRequests.ReplyAddress;
import io.mutexify.model.port.QueueFullException;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The request queue on Service Bus. Each command is one message on the slot's session
 * ({@code SessionId} = slot id), so Service Bus hands a slot's commands in order to one consumer at
 * a time; {@code ReplyTo}/{@code ReplyToSessionId} name this Frontface instance's session of the
 * reply queue. Timers ({@link #schedule}) are scheduled messages, delivered at their time.
 *
 * <p>Every send has a {@code MessageId} of its own (request id + a random suffix). Idempotency is the
 * store's job (a command seen again gets its stored reply); broker duplicate detection keyed by the
 * request id would instead drop a client's retry after a "retry later" answer, and a timer re-armed
 * after a failure, for the whole detection window. The request id travels in the body.
 *
 * <p>Before a client command is sent, its {@link PendingRequests} record is written (request id, slot,
 * reply address), so every Frontface instance can answer 202 for it and every Lockkeeper instance
 * knows where its reply goes.
 */
public final class ServiceBusCommandQueue implements CommandQueue {
    /** What a full or throttled queue asks callers to wait before they retry. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final ServiceBusSenderClient sender;
    private final String replyQueue;
    private final String replySession;
    private final PendingRequests pending;
    private volatile boolean reachable = true;

    /**
     * @param sender       a sender on the request queue
     * @param replyQueue   the reply queue's name, or null on the Lockkeeper side (it only schedules timers, which get no reply)
     * @param replySession this Frontface instance's session of the reply queue, or null on the Lockkeeper side
     */
    public ServiceBusCommandQueue(ServiceBusSenderClient sender, String replyQueue, String replySession) {
        this(sender, replyQueue, replySession, PendingRequests.NONE);
    }

    /** @param pending where client commands are recorded before they are sent (the Frontface's side) */
    public ServiceBusCommandQueue(ServiceBusSenderClient sender, String replyQueue, String replySession,
                                  PendingRequests pending) {
        this.sender = Objects.requireNonNull(sender, "sender");
        this.replyQueue = replyQueue;
        this.replySession = replySession;
        this.pending = Objects.requireNonNull(pending, "pending");
    }

    @Override
    public void send(SlotCommand command) {
        ServiceBusMessage message = toMessage(command);
        if (replyQueue != null && command.fromClient()) {
            try {
                pending.sent(command, new ReplyAddress(replyQueue, replySession));
            } catch (RuntimeException e) {
                // Not sent, so nothing happened: the caller gets 503 and retries, rather than a 202 no instance could answer.
                throw new QueueFullException("could not record the request before sending it: " + e.getMessage(),
                        RETRY_AFTER_SECONDS);
            }
        }
        try {
            sender.sendMessage(message);
            reachable = true;
        } catch (ServiceBusException e) {
            reachable = false;
            throw translate(e);
        }
    }

    @Override
    public void schedule(ScheduledCommand scheduled) {
        ServiceBusMessage message = toMessage(scheduled.command());
        try {
            sender.scheduleMessage(message, scheduled.at().atOffset(ZoneOffset.UTC));
            reachable = true;
        } catch (ServiceBusException e) {
            reachable = false;
            throw translate(e);
        }
    }

    /** False after a send failed, until one succeeds again. */
    @Override
    public boolean isReachable() {
        return reachable;
    }

    /** The message for {@code command}; public for tests and for tools that inspect the wire format. */
    public ServiceBusMessage toMessage(SlotCommand command) {
        ServiceBusMessage message = new ServiceBusMessage(BinaryData.fromBytes(CommandCodec.encode(command)))
                .setSessionId(command.slotId())
                .setMessageId(MessageIds.perSend(command.requestId()))
                .setContentType("application/json")
                .setSubject(command.getClass().getSimpleName());
        if (replyQueue != null && command.fromClient()) {
            message.setReplyTo(replyQueue);
            message.setReplyToSessionId(replySession);
        }
        String operation = OperationIds.current();
        if (operation != null) {
            message.getApplicationProperties().put(OperationIds.PROPERTY, operation);
        }
        return message;
    }

    private static RuntimeException translate(ServiceBusException e) {
        ServiceBusFailureReason reason = e.getReason();
        if (ServiceBusFailureReason.QUOTA_EXCEEDED.equals(reason) || ServiceBusFailureReason.SERVICE_BUSY.equals(reason)) {
            return new QueueFullException("the request queue refused the command: " + reason, RETRY_AFTER_SECONDS);
        }
        return e;
    }
}
