package dev.keel.core.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.execution.BreakerPolicy;
import dev.keel.core.execution.RetryPolicy;
import dev.keel.core.rebalance.AllocationSource;
import dev.keel.core.rebalance.TargetAllocation;
import dev.keel.core.time.ManualClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GuardedAllocationSourceTest {
    private static final TargetAllocation TARGET = TargetAllocation.builder().weight("VTI", "0.6")
            .weight("TLT", "0.4").build();

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T15:00:00Z"));
    private final Scripted scripted = new Scripted();
    private final RetryPolicy retry = RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ofSeconds(1))
            .multiplier(2.0).maxDelay(Duration.ofSeconds(10)).jitter(0.0).build();
    private final CircuitBreaker breaker = BreakerPolicy.builder().window(4).minimumCalls(4).failureRate(50)
            .openFor(Duration.ofMinutes(1)).halfOpenCalls(1).build().create("allocation:main", clock);
    private final GuardedAllocationSource guarded = new GuardedAllocationSource(scripted, retry, breaker, clock,
            new SplittableRandom(1));

    /** Answers from a script: a target, or the failure with the given code. */
    private static final class Scripted implements AllocationSource {
        final Deque<Object> answers = new ArrayDeque<>();
        int calls;

        @Override
        public String name() {
            return "http://127.0.0.1/alloc/main";
        }

        @Override
        public TargetAllocation fetch() {
            calls++;
            Object next = answers.isEmpty() ? TARGET : answers.pop();
            if (next instanceof ErrorCode code) {
                throw new KeelException(code, name() + ": " + code);
            }
            return (TargetAllocation) next;
        }
    }

    @Test
    void unavailableIsRetriedWithBackoffOnTheInjectedSleeperUntilItAnswers() {
        scripted.answers.addAll(java.util.List.of(ErrorCode.ALLOCATION_UNAVAILABLE, ErrorCode.ALLOCATION_UNAVAILABLE));
        Instant before = clock.instant();

        assertThat(guarded.fetch()).isEqualTo(TARGET);

        assertThat(scripted.calls).isEqualTo(3);
        assertThat(Duration.between(before, clock.instant())).isEqualTo(Duration.ofSeconds(3)); // 1 s + 2 s
    }

    @Test
    void unavailableAfterEveryAttemptFailsWithTheAttemptsCounted() {
        scripted.answers.addAll(java.util.List.of(ErrorCode.ALLOCATION_UNAVAILABLE, ErrorCode.ALLOCATION_UNAVAILABLE,
                ErrorCode.ALLOCATION_UNAVAILABLE));

        KeelException e = catchThrowableOfType(KeelException.class, guarded::fetch);

        assertThat(e.code()).isEqualTo(ErrorCode.ALLOCATION_UNAVAILABLE);
        assertThat(e.getMessage()).endsWith("(after 3 attempts)");
        assertThat(scripted.calls).isEqualTo(3);
    }

    @Test
    void invalidAnswerIsNotRetried() {
        scripted.answers.add(ErrorCode.ALLOCATION_INVALID);

        KeelException e = catchThrowableOfType(KeelException.class, guarded::fetch);

        assertThat(e.code()).isEqualTo(ErrorCode.ALLOCATION_INVALID);
        assertThat(scripted.calls).isEqualTo(1);
    }

    @Test
    void breakerOpensAfterRepeatedFailuresRefusesWithoutAskingThenHalfOpensAndCloses() {
        for (int i = 0; i < 4; i++) {
            scripted.answers.add(ErrorCode.ALLOCATION_INVALID);
            catchThrowableOfType(KeelException.class, guarded::fetch);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

        KeelException refused = catchThrowableOfType(KeelException.class, guarded::fetch);

        assertThat(refused.code()).isEqualTo(ErrorCode.ALLOCATION_UNAVAILABLE);
        assertThat(refused.getMessage()).contains("circuit breaker 'allocation:main' is open");
        assertThat(scripted.calls).isEqualTo(4);

        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(guarded.fetch()).isEqualTo(TARGET);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
