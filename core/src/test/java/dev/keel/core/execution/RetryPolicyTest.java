package dev.keel.core.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static List<Duration> delays(RetryPolicy policy, int n) {
        SplittableRandom random = new SplittableRandom(1);
        return IntStream.rangeClosed(1, n).mapToObj(i -> policy.delay(i, null, random)).toList();
    }

    private static RetryPolicy.Builder noJitter(Backoff backoff) {
        return RetryPolicy.builder().backoff(backoff).initialDelay(Duration.ofSeconds(1)).multiplier(2.0)
                .maxDelay(Duration.ofSeconds(10)).jitter(0.0);
    }

    @Test
    void exponentialBackoffDoublesUpToTheCap() {
        assertThat(delays(noJitter(Backoff.EXPONENTIAL).build(), 6)).containsExactly(Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(10),
                Duration.ofSeconds(10));
    }

    @Test
    void linearBackoffGrowsByTheInitialDelay() {
        assertThat(delays(noJitter(Backoff.LINEAR).build(), 4)).containsExactly(Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(4));
    }

    @Test
    void fixedBackoffWaitsTheSameEveryTime() {
        assertThat(delays(noJitter(Backoff.FIXED).build(), 3)).containsOnly(Duration.ofSeconds(1));
    }

    @Test
    void fibonacciBackoffFollowsTheSequenceUpToTheCap() {
        assertThat(delays(noJitter(Backoff.FIBONACCI).build(), 7)).containsExactly(Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5),
                Duration.ofSeconds(8), Duration.ofSeconds(10));
    }

    @Test
    void jitterDrawsEachDelayWithinItsBandAroundTheNominalValue() {
        RetryPolicy policy = noJitter(Backoff.LINEAR).maxDelay(Duration.ofMinutes(1)).jitter(0.5).build();
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 200; i++) {
            Duration d = policy.delay(3, null, random);
            assertThat(d).isBetween(Duration.ofMillis(1500), Duration.ofMillis(4500));
        }
    }

    @Test
    void aRetryAfterLongerThanTheBackoffIsObeyed() {
        RetryPolicy policy = noJitter(Backoff.EXPONENTIAL).build();
        SplittableRandom random = new SplittableRandom(1);

        assertThat(policy.delay(1, Duration.ofSeconds(7), random)).isEqualTo(Duration.ofSeconds(7));
        assertThat(policy.delay(1, Duration.ofSeconds(45), random)).as("even beyond max-delay")
                .isEqualTo(Duration.ofSeconds(45));
        assertThat(policy.delay(4, Duration.ofMillis(100), random)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void toBuilderRefinesOneValueAndKeepsTheRest() {
        RetryPolicy base = noJitter(Backoff.FIBONACCI).maxAttempts(6).build();
        RetryPolicy refined = base.toBuilder().maxAttempts(2).build();

        assertThat(refined.maxAttempts()).isEqualTo(2);
        assertThat(refined.backoff()).isEqualTo(Backoff.FIBONACCI);
        assertThat(refined.maxDelay()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void breakerBuilderNamesTheBoundItBroke() {
        assertThatThrownBy(() -> BreakerPolicy.builder().halfOpenCalls(2).successThreshold(3).build())
                .hasMessage("successThreshold must be at most halfOpenCalls (2), but was 3");
        assertThatThrownBy(() -> BreakerPolicy.builder().failureCount(-1))
                .hasMessage("failureCount must be at least 0, but was -1");
        assertThat(BreakerPolicy.builder().halfOpenCalls(5).build().toBuilder().halfOpenCalls(2).build()
                .successThreshold()).as("an unset success threshold follows half-open-calls").isEqualTo(2);
    }
}
