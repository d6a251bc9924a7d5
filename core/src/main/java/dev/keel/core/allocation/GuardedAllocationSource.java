package dev.keel.core.allocation;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import dev.keel.core.execution.RetryPolicy;
import dev.keel.core.rebalance.AllocationSource;
import dev.keel.core.rebalance.TargetAllocation;
import dev.keel.core.time.Sleeper;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * An allocation source behind a circuit breaker, retried with backoff while it is unavailable. An invalid answer is
 * not retried (the service said what it means; asking again at once will not change it) but counts against the
 * breaker like any failure. Waits only through the injected {@link Sleeper} (law 11).
 */
public final class GuardedAllocationSource implements AllocationSource {
    private final AllocationSource source;
    private final RetryPolicy retry;
    private final CircuitBreaker breaker;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    /**
     * @param breaker e.g. {@code BreakerPolicy.create("allocation:main", clock)}, so its timing follows the clock
     */
    public GuardedAllocationSource(AllocationSource source, RetryPolicy retry, CircuitBreaker breaker,
                                   Sleeper sleeper, RandomGenerator random) {
        this.source = Objects.requireNonNull(source, "source");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public String name() {
        return source.name();
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    @Override
    public TargetAllocation fetch() {
        for (int attempt = 1; ; attempt++) {
            try {
                return breaker.executeSupplier(source::fetch);
            } catch (CallNotPermittedException e) {
                throw new KeelException(ErrorCode.ALLOCATION_UNAVAILABLE, source.name() + ": circuit breaker '"
                        + breaker.getName() + "' is open; the allocation service was not asked", ErrorContext.NONE, e);
            } catch (KeelException e) {
                if (e.code() != ErrorCode.ALLOCATION_UNAVAILABLE || attempt >= retry.maxAttempts()) {
                    throw attempt == 1 ? e : new KeelException(e.code(), e.getMessage() + " (after " + attempt
                            + " attempts)", ErrorContext.NONE, e);
                }
                sleeper.sleep(retry.delay(attempt, null, random));
            }
        }
    }
}
