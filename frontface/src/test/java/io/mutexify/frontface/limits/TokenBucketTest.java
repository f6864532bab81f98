package io.mutexify.frontface.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBucketGrantsItsBurstThenRefusesWithTheWaitForTheNextToken() {
        TokenBucket b = TokenBucket.full(2, 0);
        TokenBucket.Take t1 = b.take(0, 10, 2);
        TokenBucket.Take t2 = t1.bucket().take(0, 10, 2);
        TokenBucket.Take t3 = t2.bucket().take(0, 10, 2);

        assertThat(t1.granted()).isTrue();
        assertThat(t2.granted()).isTrue();
        assertThat(t3.granted()).isFalse();
        assertThat(t3.waitNanos()).isEqualTo(SECOND / 10);
    }

    @Test
    void tokensComeBackAtTheRateButNeverBeyondTheBurst() {
        TokenBucket empty = new TokenBucket(0, 0);

        assertThat(empty.take(SECOND / 10, 10, 2).granted()).isTrue();
        assertThat(empty.take(SECOND / 20, 10, 2).granted()).isFalse();
        TokenBucket later = empty.take(100 * SECOND, 10, 2).bucket();
        assertThat(later.tokens()).isEqualTo(1.0);
    }

    @Test
    void theLimiterKeepsOneBucketPerPrincipal() {
        long[] now = {0};
        RateLimiter limiter = new RateLimiter(1, 1, () -> now[0]);
        limiter.check("alice");
        limiter.check("bob");
        try {
            limiter.check("alice");
            throw new AssertionError("alice's second change should be refused");
        } catch (io.mutexify.frontface.http.ApiException e) {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.toResponse().headers()).containsEntry("Retry-After", "1");
        }
        now[0] = SECOND;
        limiter.check("alice");
    }
}
