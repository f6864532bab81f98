package io.mutexify.cli;

import io.mutexify.client.LockInfo;
import io.mutexify.client.MutexifyClient;
import io.mutexify.client.SlotInfo;
import io.mutexify.client.SlotPage;
import io.mutexify.client.SlotSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mutexify slots list|create|delete|break}. */
@Command(name = "slots", mixinStandardHelpOptions = true, description = "Lists, registers, deletes and breaks slots.",
        subcommands = {SlotsCommand.ListSlots.class, SlotsCommand.Create.class, SlotsCommand.Delete.class, SlotsCommand.Break.class})
final class SlotsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: list, create, delete or break");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the slots you may see, with their state.")
    static final class ListSlots implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Option(names = "--json", description = "Print a JSON array instead of a table.")
        boolean json;

        @Option(names = "--limit", paramLabel = "N",
                description = "Print one page of at most N slots (1-1000) instead of all; the next page's --after goes to stderr.")
        Integer limit;

        @Option(names = "--after", paramLabel = "SLOT", description = "Start after this slot id (with --limit: the next page).")
        String after;

        @Override
        public Integer call() {
            try (MutexifyClient client = connection.client()) {
                List<SlotInfo> slots;
                if (limit == null && after == null) {
                    slots = client.slots();
                } else {
                    SlotPage page = client.slotPage(limit == null ? MutexifyClient.MAX_SLOT_PAGE : limit, after);
                    slots = page.slots();
                    if (page.hasNext()) {
                        spec.commandLine().getErr().println("more: --after " + page.next());
                    }
                }
                if (json) {
                    spec.commandLine().getOut().println(Output.json(slots));
                } else {
                    Output.table(spec.commandLine().getOut(), slots);
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Registers a slot.", "Exits 1 if it exists (409 slot_exists)."})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Parameters(index = "0", paramLabel = "SLOT", description = "The slot id: 1-128 of A-Z a-z 0-9 . _ : -")
        String id;

        @Option(names = "--name", description = "Display name.")
        String name;

        @Option(names = "--description", description = "Description.")
        String description;

        @Option(names = "--owners", split = ",", paramLabel = "PRINCIPAL", description = "Owners (default: you).")
        List<String> owners;

        @Option(names = "--members", split = ",", paramLabel = "PRINCIPAL", description = "Members who may lock it (default: everyone).")
        List<String> members;

        @Option(names = "--default-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Lock timeout when an acquire names none.")
        Duration defaultTimeout;

        @Option(names = "--max-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Longest lock timeout.")
        Duration maxTimeout;

        @Option(names = "--capacity", paramLabel = "N", description = "A pool: up to N holders at once (default: 1).")
        Integer capacity;

        @Option(names = "--units", split = ",", paramLabel = "UNIT",
                description = "A pool of named units; each grant names its unit, and the capacity is their count.")
        List<String> units;

        @Option(names = "--lock-delay", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How long a unit stays ungranted after a hold of it expired or was broken (default: 0).")
        Duration lockDelay;

        @Option(names = "--json", description = "Print the slot as JSON.")
        boolean json;

        @Override
        public Integer call() {
            SlotSpec s = SlotSpec.of(id);
            if (name != null) {
                s = s.withName(name);
            }
            if (description != null) {
                s = s.withDescription(description);
            }
            if (owners != null) {
                s = s.withOwners(owners);
            }
            if (members != null) {
                s = s.withMembers(members);
            }
            if (defaultTimeout != null) {
                s = s.withDefaultTimeout(defaultTimeout);
            }
            if (maxTimeout != null) {
                s = s.withMaxTimeout(maxTimeout);
            }
            if (capacity != null) {
                s = s.withCapacity(capacity);
            }
            if (units != null) {
                s = s.withUnits(units);
            }
            if (lockDelay != null) {
                s = s.withLockDelay(lockDelay);
            }
            try (MutexifyClient client = connection.client()) {
                SlotInfo created = client.createSlot(s);
                spec.commandLine().getOut().println(json ? Output.json(created) : "created " + Output.describe(created));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Deletes a slot (owners only).", "Exits 1 while it is held (409 slot_held), 3 if it is not registered."})
    static final class Delete implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Parameters(index = "0", paramLabel = "SLOT")
        String id;

        @Override
        public Integer call() {
            try (MutexifyClient client = connection.client()) {
                client.deleteSlot(id);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "break", mixinStandardHelpOptions = true,
            description = {"Force-releases whoever holds the slot (owners only).", "Exits 3 if it is not held."})
    static final class Break implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Parameters(index = "0", paramLabel = "SLOT")
        String id;

        @Option(names = "--reason", description = "Why, for the slot's history.")
        String reason;

        @Option(names = "--unit", paramLabel = "UNIT", description = "On a pool, break only the hold of this unit (default: every hold).")
        String unit;

        @Override
        public Integer call() {
            try (MutexifyClient client = connection.client()) {
                LockInfo broken = client.breakUnit(id, unit, reason);
                spec.commandLine().getOut().println("broke the lock of " + broken.owner() + " on " + id
                        + (broken.unit() == null ? "" : " unit " + broken.unit()) + " (fence " + broken.fence() + ")");
            }
            return ExitCodes.OK;
        }
    }
}
