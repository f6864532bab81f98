package io.mutexify.embedded.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault campaign: many clients over HTTP against a real server process that is SIGKILLed,
 * restarted and SIGSTOPped, with a webhook receiver that fails and hangs; then the recorded history,
 * the deliveries and the store are judged by the {@link Checker}. Bounded by default (clients run
 * 60 s); {@code -Dcampaign.seconds=600} runs it longer (see docs/fault-campaign.md). The report,
 * history, deliveries and server logs go to {@code target/fault-campaign/}.
 */
class FaultCampaignTest {
    /** Surely-held intervals end this much before {@code expireAt}: scheduling noise between two readers of one clock. */
    private static final long MARGIN_NANOS = Duration.ofMillis(100).toNanos();
    private static final Path REPORT_DIR = Path.of("target", "fault-campaign");

    @TempDir
    Path dir;

    @Test
    void clientsUnderKillsPausesAndAFlakyWebhookSeeEveryPromiseKept() throws Exception {
        CampaignSettings settings = CampaignSettings.fromEnvironment();
        System.out.println("fault campaign: " + settings);
        Path data = dir.resolve("data");
        List<String> hot = IntStream.range(0, settings.hotSlots()).mapToObj(i -> "hot-" + i).toList();
        List<String> cold = IntStream.range(0, settings.coldSlots()).mapToObj(i -> "cold-" + i).toList();
        Queue<Op> history = new ConcurrentLinkedQueue<>();
        clean(REPORT_DIR);
        ScheduledExecutorService dropper = Executors.newSingleThreadScheduledExecutor();
        try (FlakyWebhook webhook = new FlakyWebhook(settings.seed());
             CampaignServer server = new CampaignServer(data, REPORT_DIR, Map.of(
                     "MUTEXIFY_WEBHOOKS", webhook.url().toString(),
                     // Short, so calls slowed by faults answer 202 and clients follow their request.
                     "MUTEXIFY_REPLY_TIMEOUT_MS", "1500",
                     "MUTEXIFY_WORKERS", "4",
                     // Small, so the burst of retries a pause leaves behind overflows it: 503 with Retry-After.
                     "MUTEXIFY_QUEUE_CAPACITY", "8"))) {
            Timeline timeline = Timeline.now();
            server.start();
            CampaignHttp http = new CampaignHttp(server.url());
            for (String slot : concat(hot, cold)) {
                register(http, slot);
            }
            var running = new java.util.concurrent.atomic.AtomicBoolean(true);
            KeyedCalls calls = new KeyedCalls(http, dropper, running::get);
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < settings.clients(); i++) {
                CampaignClient c = new CampaignClient(i, hot, cold, http, calls, history, running::get, settings.seed() + i + 1);
                clients.add(new Thread(c, "campaign-client-" + i));
            }
            Nemesis nemesis = new Nemesis(server, settings.seed() - 1);
            Thread faults = new Thread(nemesis, "campaign-nemesis");
            clients.forEach(Thread::start);
            faults.start();
            Thread.sleep(settings.seconds() * 1000L);

            nemesis.stop();
            faults.join(60_000);
            running.set(false);
            for (Thread t : clients) {
                t.join(30_000);
                assertThat(t.isAlive()).as(t.getName() + " stopped").isFalse();
            }
            assertThat(nemesis.failure).as("the faults themselves worked").isNull();
            server.ensureRunning();
            webhook.heal();
            settle(data, webhook);
            server.stop();

            List<Op> ops = List.copyOf(history);
            CampaignRecord record = new CampaignRecord(ops, webhook.deliveries(), StoreReader.snapshot(data, ops), timeline,
                    MARGIN_NANOS);
            List<Violation> violations = Checker.check(record);
            String faultsLine = String.format("faults: %d SIGKILLs and restarts, %d SIGSTOP pauses; webhook failed %d"
                    + " and hung %d times", nemesis.kills.get(), nemesis.pauses.get(), webhook.failed.get(), webhook.hung.get());
            String summary = CampaignReport.summary(record, violations, faultsLine);
            CampaignReport.write(REPORT_DIR, record, violations, summary);
            System.out.println(summary);
            assertThat(ops.stream().filter(Op::acknowledged).count()).as("the run did real work").isGreaterThan(50);
            assertThat(nemesis.kills.get() + nemesis.pauses.get()).as("faults happened").isGreaterThan(0);
            assertThat(violations).as("violations (seed %d; history and deliveries in %s)", settings.seed(),
                    REPORT_DIR.toAbsolutePath()).isEmpty();
        } finally {
            dropper.shutdownNow();
        }
    }

    /** Registers a slot (retrying under one key while the server starts up). */
    private static void register(CampaignHttp http, String slot) throws InterruptedException {
        String body = "{\"id\":\"" + slot + "\",\"defaultTimeout\":5,\"maxTimeout\":30}";
        for (int i = 0; i < 50; i++) {
            Attempt a = http.send("POST", "/api/v1/slots", body, "register-" + slot, Duration.ofSeconds(5), false);
            if (a.status() == 201) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("could not register " + slot);
    }

    /** Waits until every slot is free with no one in line and the webhook has every event (at most a minute). */
    private static void settle(Path data, FlakyWebhook webhook) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (StoreReader.settled(data, webhook.url())) {
                return;
            }
            Thread.sleep(250);
        }
        // Not an assertion: what is still missing is reported by the checker, precisely.
        System.out.println("fault campaign: slots or webhook not settled within 60 s");
    }

    /** Empties the report folder, so server logs (appended to) and files are this run's only. */
    private static void clean(Path folder) throws IOException {
        Files.createDirectories(folder);
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
