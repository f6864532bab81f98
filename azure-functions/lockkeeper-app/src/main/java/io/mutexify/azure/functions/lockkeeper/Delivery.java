package io.mutexify.azure.functions.lockkeeper;

/**
 * One message from the request queue as the trigger hands it over: the body and the metadata the
 * function binds ({@code SessionId}, {@code MessageId}, {@code ReplyTo}, {@code ReplyToSessionId},
 * {@code DeliveryCount}, and the operation id from the application properties).
 */
public record Delivery(byte[] body, String sessionId, String messageId, String replyTo, String replyToSessionId,
                       int deliveryCount, String operationId) {
}
