package io.mutexify.azure.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mutexify.model.command.Actor;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.command.SlotSpec;
import io.mutexify.model.machine.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandCodecTest {
    private static final Actor ALICE = new Actor("alice", false);
    private static final Instant AT = Instant.parse("2026-11-22T10:00:00.123Z");

    @Test
    void everyCommandTypeSurvivesTheQueue() {
        List<SlotCommand> all = List.of(
                new SlotCommand.Acquire("r-1", "ci-1", ALICE, "job-1", 60, List.of("a", "b"), 30),
                new SlotCommand.Acquire("r-2", "ci-1", ALICE, null, null, List.of(), 0),
                new SlotCommand.Extend("r-3", "ci-1", ALICE, "tok", 90),
                new SlotCommand.Release("r-4", "ci-1", ALICE, "tok"),
                new SlotCommand.Break("r-5", "ci-1", ALICE, "stuck"),
                new SlotCommand.CreateSlot("r-6", "ci-1", ALICE, new SlotSpec("n", "d", List.of("alice"), List.of(), 60, 600)),
                new SlotCommand.UpdateSlot("r-7", "ci-1", ALICE, SlotSpec.none()),
                new SlotCommand.DeleteSlot("r-8", "ci-1", ALICE),
                SlotCommand.Expire.of("ci-1", 7, AT),
                SlotCommand.EndWait.of("ci-1", "r-1", AT),
                SlotCommand.CancelWait.of("ci-1", ALICE, "r-1"),
                SlotCommand.CancelWait.withdrawn("ci-1", ALICE, "r-1"));
        for (SlotCommand c : all) {
            byte[] json = CommandCodec.encode(c);
            assertThat(CommandCodec.decode(json)).as(new String(json, StandardCharsets.UTF_8)).isEqualTo(c);
        }
        assertThat(new String(CommandCodec.encode(all.get(0)), StandardCharsets.UTF_8)).contains("\"type\":\"acquire\"");
        assertThat(CommandCodec.decode(CommandCodec.encode(all.get(8))).actor()).isEqualTo(Actor.SYSTEM);
    }

    @Test
    void poolCommandsSurviveTheQueue() {
        List<SlotCommand> all = List.of(
                new SlotCommand.Acquire("r-1", "envs", ALICE, "job-1", 60, List.of(), 30, "env-2"),
                new SlotCommand.Break("r-2", "envs", ALICE, "stuck", null, "env-2"),
                new SlotCommand.Break("r-3", "envs", ALICE, null, "r-1", null),
                new SlotCommand.CreateSlot("r-4", "envs", ALICE,
                        new SlotSpec(null, null, null, null, null, null, null, List.of("env-1", "env-2"), 10)),
                new SlotCommand.UpdateSlot("r-5", "envs", ALICE, new SlotSpec(null, null, null, null, null, null, 4, null, null)),
                SlotCommand.EndDelay.of("envs", 7, AT));
        for (SlotCommand c : all) {
            byte[] json = CommandCodec.encode(c);
            assertThat(CommandCodec.decode(json)).as(new String(json, StandardCharsets.UTF_8)).isEqualTo(c);
        }
        assertThat(new String(CommandCodec.encode(all.get(5)), StandardCharsets.UTF_8)).contains("\"type\":\"endDelay\"");
    }

    @Test
    void longWaitCommandsSurviveTheQueueAndAOneCallAcquireCarriesNoCallLength() {
        List<SlotCommand> all = List.of(
                new SlotCommand.Acquire("r-1", "ci-1", ALICE, "job-1", 60, List.of(), 7200).asLongWait(70),
                SlotCommand.StillWaiting.of("ci-1", ALICE, "r-1", 20),
                SlotCommand.CheckPolls.of("ci-1", "r-1", AT));
        for (SlotCommand c : all) {
            byte[] json = CommandCodec.encode(c);
            assertThat(CommandCodec.decode(json)).as(new String(json, StandardCharsets.UTF_8)).isEqualTo(c);
        }
        assertThat(new String(CommandCodec.encode(all.get(1)), StandardCharsets.UTF_8)).contains("\"type\":\"stillWaiting\"");
        assertThat(new String(CommandCodec.encode(new SlotCommand.Acquire("r-2", "ci-1", ALICE, null, null, List.of(), 30)),
                StandardCharsets.UTF_8)).doesNotContain("longWaitCallSeconds");
    }

    @Test
    void repliesSurviveTheReplyQueue() {
        Reply r = Reply.error("r-1", "ci-1", 409, "locked", "held by job-1");
        assertThat(CommandCodec.decodeReply(CommandCodec.encodeReply(r))).isEqualTo(r);
    }

    @Test
    void aBodyThatIsNoCommandIsRefused() {
        assertThatThrownBy(() -> CommandCodec.decode("{\"type\":\"nope\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
