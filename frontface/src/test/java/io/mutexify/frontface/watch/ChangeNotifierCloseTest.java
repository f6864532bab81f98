package io.mutexify.frontface.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ChangeNotifierCloseTest {
    @Test
    void closeAnswersOpenWatchesAndLaterOnesAtOnce() {
        ChangeNotifier n = new ChangeNotifier();
        CompletableFuture<Void> any = n.awaitAny(n.globalIndex(), Duration.ofMinutes(1));
        CompletableFuture<Void> one = n.awaitSlot("s", 5, Duration.ofMinutes(1));
        assertThat(any).isNotDone();
        assertThat(one).isNotDone();

        n.close();

        assertThat(any).isCompleted();
        assertThat(one).isCompleted();
        assertThat(n.awaitAny(n.globalIndex(), Duration.ofMinutes(1))).isCompleted();
        assertThat(n.awaitSlot("s", 5, Duration.ofMinutes(1))).isCompleted();
    }
}
