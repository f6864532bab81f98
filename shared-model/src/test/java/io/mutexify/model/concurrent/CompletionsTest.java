package io.mutexify.model.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class CompletionsTest {
    @Test
    void takesOffEveryCompletionExceptionAndNothingElse() {
        IllegalStateException failure = new IllegalStateException("boom");
        Throwable seenByADependentStage = CompletableFuture.failedFuture(failure)
                .thenApply(x -> x).thenApply(x -> x).handle((ok, e) -> e).join();

        assertThat(seenByADependentStage).isInstanceOf(CompletionException.class);
        assertThat(Completions.cause(seenByADependentStage)).isSameAs(failure);
        assertThat(Completions.cause(new CompletionException(new CompletionException(failure)))).isSameAs(failure);
        assertThat(Completions.cause(failure)).isSameAs(failure);
        CompletionException bare = new CompletionException("no cause", null);
        assertThat(Completions.cause(bare)).isSameAs(bare);
    }
}
