package io.mutexify.azure.functions.lockkeeper;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.TraceContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.ServiceBusQueueTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.mutexify.azure.insights.OperationIds;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * The Lockkeeper as functions: a session-enabled Service Bus queue trigger on the request queue
 * (session id = slot id, so one instance at a time holds a slot's session and gets its commands in
 * order), and an hourly timer that prunes old replies and delivered events.
 */
public final class LockkeeperFunctions {

    @FunctionName("lockkeeper")
    public void lockkeeper(
            @ServiceBusQueueTrigger(name = "message", queueName = "%MUTEXIFY_REQUEST_QUEUE%",
                    connection = "SERVICEBUS_CONNECTION", isSessionsEnabled = true) String message,
            @BindingName("SessionId") String sessionId,
            @BindingName("MessageId") String messageId,
            @BindingName("ReplyTo") String replyTo,
            @BindingName("ReplyToSessionId") String replyToSessionId,
            @BindingName("DeliveryCount") int deliveryCount,
            @BindingName("ApplicationProperties") Map<String, Object> applicationProperties,
            ExecutionContext context) {
        // The Frontface's operation id travels with the command; without one (a timer), this invocation's own.
        String fromFrontface = operationId(applicationProperties);
        String operation = fromFrontface != null ? fromFrontface
                : OperationIds.forInvocation(traceparent(context), context == null ? null : context.getInvocationId());
        LockkeeperApp.get().handle(new Delivery(message.getBytes(StandardCharsets.UTF_8), sessionId, messageId, replyTo,
                replyToSessionId, deliveryCount, operation));
    }

    @FunctionName("prune")
    public void prune(@TimerTrigger(name = "timer", schedule = "0 17 * * * *") String timer, ExecutionContext context) {
        int gone = LockkeeperApp.get().prune(Instant.now());
        if (context != null) {
            context.getLogger().info("pruned " + gone + " old replies and delivered events");
        }
    }

    /** The invocation's W3C traceparent from the host, or null. */
    static String traceparent(ExecutionContext context) {
        TraceContext trace = context == null ? null : context.getTraceContext();
        return trace == null ? null : trace.getTraceparent();
    }

    /** The operation id from the message's application properties, or null. */
    static String operationId(Map<String, Object> applicationProperties) {
        if (applicationProperties == null) {
            return null;
        }
        Object id = applicationProperties.get(OperationIds.PROPERTY);
        return id == null || id.toString().isBlank() ? null : id.toString();
    }
}
