package io.mutexify.embedded;

import io.mutexify.embedded.auth.SignInKeyFile;
import io.mutexify.embedded.config.EmbeddedConfig;
import io.mutexify.embedded.events.WebhookDelivery;
import io.mutexify.embedded.http.LocalHttpServer;
import io.mutexify.embedded.queue.InProcessSessionQueue;
import io.mutexify.embedded.queue.QueueSettings;
import io.mutexify.embedded.store.SqliteSlotStore;
import io.mutexify.embedded.telemetry.MetricsTelemetry;
import io.mutexify.frontface.ApiHandler;
import io.mutexify.frontface.access.SignInSetup;
import io.mutexify.frontface.auth.DevSignInCallers;
import io.mutexify.frontface.dispatch.ReplyWaiter;
import io.mutexify.frontface.screen.HostAllowList;
import io.mutexify.frontface.screen.RequestScreen;
import io.mutexify.frontface.watch.ChangeNotifier;
import io.mutexify.lockkeeper.Lockkeeper;
import io.mutexify.lockkeeper.Pruning;
import io.mutexify.model.command.SlotCommand;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.machine.SlotMachine;
import io.mutexify.model.port.SlotStore;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole service in one JVM: Frontface and Lockkeeper wired to SQLite, the in-process session
 * queue and webhooks. Start it with {@link #start}; {@link #close} shuts down in order, so every
 * acknowledged change is committed and nothing in flight is cut off.
 */
public final class EmbeddedMutexify implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedMutexify.class);
    private static final String WEBHOOK_ORIGIN = "mutexify.local";

    private final EmbeddedConfig config;
    private final SqliteSlotStore store;
    private final InProcessSessionQueue queue;
    private final WebhookDelivery webhooks;
    private final LocalHttpServer server;
    private final ScheduledExecutorService housekeeping;
    private final ChangeNotifier notifier;

    private EmbeddedMutexify(EmbeddedConfig config, UnaryOperator<SlotStore> lockkeeperWrites) {
        this.config = config;
        this.store = SqliteSlotStore.open(config.dataDir());
        ReplyWaiter replies = new ReplyWaiter();
        this.notifier = new ChangeNotifier();
        MetricsTelemetry metrics = new MetricsTelemetry();
        this.queue = new InProcessSessionQueue(QueueSettings.defaults()
                .withWorkers(config.workers())
                .withCapacity(config.queueCapacity())
                .withDeadLetter(batch -> answerDeadLettered(batch, replies)));
        this.webhooks = new WebhookDelivery(store, config.webhooks(), WEBHOOK_ORIGIN);
        Lockkeeper lockkeeper = Lockkeeper.builder()
                .store(lockkeeperWrites.apply(store))
                .machine(new SlotMachine(config.policy()))
                .replies(replies)
                .timers(queue)
                .listeners(List.of(notifier))
                .eventsCommitted(webhooks::wake)
                .telemetry(metrics)
                .build();
        int timers = lockkeeper.rearmTimers();
        queue.start(lockkeeper, lockkeeper::isObsolete);
        webhooks.start();
        ApiHandler.Builder builder = ApiHandler.builder()
                .reader(store)
                .queue(queue)
                .replies(replies)
                .watch(notifier)
                .replyTimeout(config.replyTimeout())
                .ready(() -> store.isReachable() && queue.isReachable())
                .metrics(() -> metrics.render() + storeMetrics());
        ApiHandler api = SignInSetup.apply(builder, config.access(), store.apiKeys(), Clock.systemUTC(),
                        () -> SignInKeyFile.loadOrCreate(config.dataDir()))
                .screen(new RequestScreen(HostAllowList.loopbackAnd(config.exposure().hostNames())))
                .devSignInCallers(DevSignInCallers.forServerOn(config.host()))
                .maxWatchesPerPrincipal(config.exposure().maxWatchesPerPrincipal())
                .maxSlotsPerPrincipal(config.exposure().maxSlotsPerPrincipal())
                .build();
        this.server = new LocalHttpServer(api, config.exposure().maxConnectionsPerAddress()).start(config.host(), config.port());
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mutexify-housekeeping");
            t.setDaemon(true);
            return t;
        });
        housekeeping.scheduleWithFixedDelay(this::prune, 1, 60, TimeUnit.MINUTES);
        log.info("store {} ready; {} timers re-armed; {} webhook(s)", store.file(), timers, config.webhooks().size());
    }

    /** Opens the store, re-arms timers from it, and starts the queue, the webhooks and the HTTP server. */
    public static EmbeddedMutexify start(EmbeddedConfig config) {
        return new EmbeddedMutexify(config, UnaryOperator.identity());
    }

    /** As {@link #start(EmbeddedConfig)}, with the Lockkeeper's store wrapped, for fault-injection tests. */
    static EmbeddedMutexify start(EmbeddedConfig config, UnaryOperator<SlotStore> lockkeeperWrites) {
        return new EmbeddedMutexify(config, lockkeeperWrites);
    }

    public int port() {
        return server.port();
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:8080}. */
    public URI url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create("http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + port());
    }

    /** Group-commit figures: writes per batch is what keeps durability from costing one fsync per request. */
    private String storeMetrics() {
        return "# TYPE mutexify_store_batches_total counter\nmutexify_store_batches_total " + store.committedBatches()
                + "\n# TYPE mutexify_store_writes_total counter\nmutexify_store_writes_total " + store.committedWrites()
                + "\n# TYPE mutexify_store_syncs_total counter\nmutexify_store_syncs_total " + store.walSyncs()
                + "\n# TYPE mutexify_queue_depth gauge\nmutexify_queue_depth " + queue.queuedClientCommands()
                + "\n# TYPE mutexify_timers_pending gauge\nmutexify_timers_pending " + queue.pendingTimers() + "\n";
    }

    private void prune() {
        try {
            int gone = new Pruning(store, config.replyRetention(), webhooks::subscribers).run(Instant.now());
            log.info("pruned {} old replies and delivered events", gone);
        } catch (RuntimeException e) {
            log.warn("pruning failed; will try again", e);
        }
    }

    /** A batch that kept failing is answered with an error, so its callers are not left waiting. */
    private static void answerDeadLettered(List<SlotCommand> batch, ReplyWaiter replies) {
        for (SlotCommand c : batch) {
            if (c.fromClient()) {
                replies.send(Reply.commandFailed(c.requestId(), c.slotId()));
            }
        }
    }

    /** Stops taking requests, finishes the queue's in-flight work, stops deliveries, closes the store. */
    @Override
    public void close() {
        housekeeping.shutdownNow();
        // Open long-polls answer now, so they do not hold the server's graceful stop for up to their wait.
        notifier.close();
        server.close();
        queue.close();
        webhooks.close();
        store.close();
        log.info("stopped");
    }
}
