package dev.keel.core.execution;

import dev.keel.core.broker.BrokerException;
import dev.keel.core.error.ErrorCode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;

/**
 * The circuit breaker on a broker connection (resilience4j), count-based. Immutable; build with {@link #builder()}.
 *
 * <p>Only failures that say the broker is unwell count: timeouts, resets, refused connections and 5xx. A business
 * rejection (insufficient buying power, unknown symbol) or a rate limit is the broker working as designed.
 */
public final class BreakerPolicy {
    /** The default failure rate that opens the breaker: 50 %. */
    public static final int DEFAULT_FAILURE_RATE = 50;
    /** The default sliding window: the last 20 calls. */
    public static final int DEFAULT_WINDOW = 20;
    /** The default number of calls before the rate is judged: 10. */
    public static final int DEFAULT_MINIMUM_CALLS = 10;
    /** The default time the breaker stays open: 30 s. */
    public static final Duration DEFAULT_OPEN_FOR = Duration.ofSeconds(30);
    /** The default number of trial calls when half-open: 3. */
    public static final int DEFAULT_HALF_OPEN_CALLS = 3;

    private final int failureRate;
    private final int window;
    private final int minimumCalls;
    private final Duration openFor;
    private final int halfOpenCalls;

    private BreakerPolicy(Builder b) {
        this.failureRate = b.failureRate;
        this.window = b.window;
        this.minimumCalls = b.minimumCalls;
        this.openFor = b.openFor;
        this.halfOpenCalls = b.halfOpenCalls;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static BreakerPolicy defaults() {
        return builder().build();
    }

    /** A resilience4j breaker named {@code name} whose timing follows {@code clock} (law 11). */
    public CircuitBreaker create(String name, Clock clock) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(window)
                .minimumNumberOfCalls(minimumCalls)
                .failureRateThreshold(failureRate)
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(halfOpenCalls)
                .recordException(BreakerPolicy::countsAsFailure)
                .clock(clock)
                .currentTimestampFunction(c -> c.instant().toEpochMilli() * 1_000_000L,
                        java.util.concurrent.TimeUnit.NANOSECONDS)
                .build();
        return CircuitBreaker.of(name, config);
    }

    static boolean countsAsFailure(Throwable t) {
        if (!(t instanceof BrokerException b)) {
            return true;
        }
        return b.ambiguous() || b.code() == ErrorCode.CONNECTION_REFUSED;
    }

    @Override
    public String toString() {
        return "BreakerPolicy[failureRate=" + failureRate + "%, window=" + window + ", minimumCalls=" + minimumCalls
                + ", openFor=" + openFor + ", halfOpenCalls=" + halfOpenCalls + "]";
    }

    /** Builds a {@link BreakerPolicy}; every check names the bound and the value. */
    public static final class Builder {
        private int failureRate = DEFAULT_FAILURE_RATE;
        private int window = DEFAULT_WINDOW;
        private int minimumCalls = DEFAULT_MINIMUM_CALLS;
        private Duration openFor = DEFAULT_OPEN_FOR;
        private int halfOpenCalls = DEFAULT_HALF_OPEN_CALLS;

        private Builder() {
        }

        public Builder failureRate(int percent) {
            if (percent < 1 || percent > 100) {
                throw new IllegalArgumentException("failureRate must be between 1 and 100, but was " + percent);
            }
            this.failureRate = percent;
            return this;
        }

        public Builder window(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("window must be at least 1, but was " + calls);
            }
            this.window = calls;
            return this;
        }

        public Builder minimumCalls(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("minimumCalls must be at least 1, but was " + calls);
            }
            this.minimumCalls = calls;
            return this;
        }

        public Builder openFor(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("openFor must be positive, but was " + value);
            }
            this.openFor = value;
            return this;
        }

        public Builder halfOpenCalls(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("halfOpenCalls must be at least 1, but was " + calls);
            }
            this.halfOpenCalls = calls;
            return this;
        }

        public BreakerPolicy build() {
            if (minimumCalls > window) {
                throw new IllegalArgumentException("minimumCalls must be at most window (" + window + "), but was "
                        + minimumCalls);
            }
            return new BreakerPolicy(this);
        }
    }
}
