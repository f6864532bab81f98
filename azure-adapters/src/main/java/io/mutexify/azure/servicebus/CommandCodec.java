package io.mutexify.azure.servicebus;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.json.Json;
import io.mutexify.model.machine.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON of the messages on the queues: a {@link SlotCommand} with a {@code "type"} discriminator
 * ({@code acquire}, {@code extend}, ...) on the request queue, a {@link Reply} on the reply queue.
 * Built on the project's one Jackson configuration ({@link Json}), so times are ISO-8601.
 */
public final class CommandCodec {
    private static final ObjectMapper MAPPER = Json.mapper().copy().addMixIn(SlotCommand.class, CommandMixin.class);

    private CommandCodec() {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = SlotCommand.Acquire.class, name = "acquire"),
        @JsonSubTypes.Type(value = SlotCommand.Extend.class, name = "extend"),
        @JsonSubTypes.Type(value = SlotCommand.Release.class, name = "release"),
        @JsonSubTypes.Type(value = SlotCommand.Break.class, name = "break"),
        @JsonSubTypes.Type(value = SlotCommand.CreateSlot.class, name = "createSlot"),
        @JsonSubTypes.Type(value = SlotCommand.UpdateSlot.class, name = "updateSlot"),
        @JsonSubTypes.Type(value = SlotCommand.DeleteSlot.class, name = "deleteSlot"),
        @JsonSubTypes.Type(value = SlotCommand.Expire.class, name = "expire"),
        @JsonSubTypes.Type(value = SlotCommand.EndWait.class, name = "endWait"),
        @JsonSubTypes.Type(value = SlotCommand.EndDelay.class, name = "endDelay"),
        @JsonSubTypes.Type(value = SlotCommand.CancelWait.class, name = "cancelWait"),
        @JsonSubTypes.Type(value = SlotCommand.StillWaiting.class, name = "stillWaiting"),
        @JsonSubTypes.Type(value = SlotCommand.CheckPolls.class, name = "checkPolls")
    })
    private interface CommandMixin {
    }

    public static byte[] encode(SlotCommand command) {
        try {
            return MAPPER.writerFor(SlotCommand.class).writeValueAsBytes(command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Throws {@link IllegalArgumentException} for a body that is not a command. */
    public static SlotCommand decode(byte[] json) {
        try {
            return MAPPER.readValue(json, SlotCommand.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a Mutexify command: " + e.getMessage(), e);
        }
    }

    public static byte[] encodeReply(Reply reply) {
        return Json.writeBytes(reply);
    }

    public static Reply decodeReply(byte[] json) {
        try {
            return MAPPER.readValue(json, Reply.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a Mutexify reply: " + e.getMessage(), e);
        }
    }
}
