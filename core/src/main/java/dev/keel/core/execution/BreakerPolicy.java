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
 * <p>resilience4j judges rates only; {@link #failureCount()} (consecutive failures while closed) and
 * {@link #successThreshold()} (trial calls that must succeed to close) are enforced on top of it by the gateway's
 * {@code EndpointBreaker}. A slow call is one that took at least {@link #slowCallDuration()} by the injected clock.
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
    /** The default consecutive-failure count that opens the breaker: 0, off (the rate alone decides). */
    public static final int DEFAULT_FAILURE_COUNT = 0;
    /** The default slow-call rate that opens the breaker: 100 %. */
    public static final int DEFAULT_SLOW_CALL_RATE = 100;
    /** The default duration from which a call counts as slow: 60 s. */
    public static final Duration DEFAULT_SLOW_CALL_DURATION = Duration.ofSeconds(60);

    private final int failureRate;
    private final int window;
    private final int minimumCalls;
    private final Duration openFor;
    private final int halfOpenCalls;
    private final int failureCount;
    private final int slowCallRate;
    private final Duration slowCallDuration;
    /** Null: as many as {@code halfOpenCalls}, so a refinement of {@code halfOpenCalls} carries it along. */
    private final Integer successThreshold;

    private BreakerPolicy(Builder b) {
        this.failureRate = b.failureRate;
        this.window = b.window;
        this.minimumCalls = b.minimumCalls;
        this.openFor = b.openFor;
        this.halfOpenCalls = b.halfOpenCalls;
        this.failureCount = b.failureCount;
        this.slowCallRate = b.slowCallRate;
        this.slowCallDuration = b.slowCallDuration;
        this.successThreshold = b.successThreshold;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static BreakerPolicy defaults() {
        return builder().build();
    }

    /** A builder holding this policy's values, to refine some of them. */
    public Builder toBuilder() {
        Builder b = new Builder().failureRate(failureRate).window(window).minimumCalls(minimumCalls).openFor(openFor)
                .halfOpenCalls(halfOpenCalls).failureCount(failureCount).slowCallRate(slowCallRate)
                .slowCallDuration(slowCallDuration);
        b.successThreshold = successThreshold;
        return b;
    }

    public int failureRate() {
        return failureRate;
    }

    public int window() {
        return window;
    }

    public int minimumCalls() {
        return minimumCalls;
    }

    public Duration openFor() {
        return openFor;
    }

    public int halfOpenCalls() {
        return halfOpenCalls;
    }

    /** Consecutive failures while closed that open the breaker whatever the rate; 0 when off. */
    public int failureCount() {
        return failureCount;
    }

    public int slowCallRate() {
        return slowCallRate;
    }

    public Duration slowCallDuration() {
        return slowCallDuration;
    }

    /** Trial calls that must succeed (and not be slow) while half-open to close; at most {@link #halfOpenCalls()}. */
    public int successThreshold() {
        return successThreshold == null ? halfOpenCalls : successThreshold;
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
                .slowCallRateThreshold(slowCallRate)
                .slowCallDurationThreshold(slowCallDuration)
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
                + ", openFor=" + openFor + ", halfOpenCalls=" + halfOpenCalls + ", failureCount=" + failureCount
                + ", slowCallRate=" + slowCallRate + "%, slowCallDuration=" + slowCallDuration + ", successThreshold="
                + successThreshold() + "]";
    }

    /** Builds a {@link BreakerPolicy}; every check names the bound and the value. */
    public static final class Builder {
        private int failureRate = DEFAULT_FAILURE_RATE;
        private int window = DEFAULT_WINDOW;
        private int minimumCalls = DEFAULT_MINIMUM_CALLS;
        private Duration openFor = DEFAULT_OPEN_FOR;
        private int halfOpenCalls = DEFAULT_HALF_OPEN_CALLS;
        private int failureCount = DEFAULT_FAILURE_COUNT;
        private int slowCallRate = DEFAULT_SLOW_CALL_RATE;
        private Duration slowCallDuration = DEFAULT_SLOW_CALL_DURATION;
        /** Null: as many as {@code halfOpenCalls}. */
        private Integer successThreshold;

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

        /** Consecutive failures that open a closed breaker; 0 turns the count off. */
        public Builder failureCount(int calls) {
            if (calls < 0) {
                throw new IllegalArgumentException("failureCount must be at least 0, but was " + calls);
            }
            this.failureCount = calls;
            return this;
        }

        public Builder slowCallRate(int percent) {
            if (percent < 1 || percent > 100) {
                throw new IllegalArgumentException("slowCallRate must be between 1 and 100, but was " + percent);
            }
            this.slowCallRate = percent;
            return this;
        }

        public Builder slowCallDuration(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("slowCallDuration must be positive, but was " + value);
            }
            this.slowCallDuration = value;
            return this;
        }

        /** Trial calls that must succeed to close a half-open breaker; default all of {@code halfOpenCalls}. */
        public Builder successThreshold(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("successThreshold must be at least 1, but was " + calls);
            }
            this.successThreshold = calls;
            return this;
        }

        public BreakerPolicy build() {
            if (successThreshold != null && successThreshold > halfOpenCalls) {
                throw new IllegalArgumentException("successThreshold must be at most halfOpenCalls (" + halfOpenCalls
                        + "), but was " + successThreshold);
            }
            if (minimumCalls > window) {
                throw new IllegalArgumentException("minimumCalls must be at most window (" + window + "), but was "
                        + minimumCalls);
            }
            return new BreakerPolicy(this);
        }
    }
}
