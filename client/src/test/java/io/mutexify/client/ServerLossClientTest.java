package io.mutexify.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mutexify.embedded.it.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the server stops answering, the lease reports the loss before its safe deadline. */
class ServerLossClientTest {

    @Test
    void aClosedServerIsReportedAsALossBeforeTheSafeDeadline(@TempDir Path dataDir) {
        TestServer server = WithClientServer.startOwnServer(dataDir);
        try (MutexifyClient client = WithClientServer.clientFor(server.url())) {
            Lease lease = client.acquire("c-gone", Duration.ofSeconds(3), Duration.ZERO, List.of());
            Loss loss = Loss.watch(lease);

            server.close();

            await().atMost(Duration.ofSeconds(10)).until(() -> loss.end.get() != null);
            assertThat(loss.end.get().reason()).isEqualTo(LeaseEnd.Reason.RENEWAL_FAILED);
            assertThat(loss.at.get() - lease.safeDeadlineNanos()).isNegative();
            assertThat(lease.isValid()).isFalse();
            assertThat(lease.timeLeft()).isZero();
        } finally {
            server.close();
        }
    }

    @Test
    void aHungServerIsReportedAsALossBeforeTheSafeDeadline(@TempDir Path dataDir) throws Exception {
        try (TestServer server = WithClientServer.startOwnServer(dataDir);
             FaultProxy proxy = new FaultProxy(server.url());
             MutexifyClient client = WithClientServer.clientFor(proxy.url())) {
            Lease lease = client.acquire("c-hung", Duration.ofSeconds(3), Duration.ZERO, List.of());
            Loss loss = Loss.watch(lease);

            proxy.hang();

            await().atMost(Duration.ofSeconds(10)).until(() -> loss.end.get() != null);
            assertThat(loss.end.get().reason()).isEqualTo(LeaseEnd.Reason.RENEWAL_FAILED);
            assertThat(loss.at.get() - lease.safeDeadlineNanos()).isNegative();
            assertThat(lease.isValid()).isFalse();
        }
    }

    /** Records when (System.nanoTime) and how a lease was lost. */
    private record Loss(AtomicLong at, AtomicReference<LeaseEnd> end) {
        static Loss watch(Lease lease) {
            Loss loss = new Loss(new AtomicLong(), new AtomicReference<>());
            lease.addListener((l, e) -> {
                loss.at.set(System.nanoTime());
                loss.end.set(e);
            });
            return loss;
        }
    }
}
