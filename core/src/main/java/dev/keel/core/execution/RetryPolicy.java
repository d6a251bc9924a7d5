package dev.keel.core.execution;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Backoff (exponential, linear, fixed or fibonacci) with jitter, honouring Retry-After. Immutable; build with
 * {@link #builder()}.
 *
 * <p>Keel computes delays itself instead of using resilience4j's {@code Retry}: that one sleeps through a static,
 * process-wide function, which would make simulated time (law 11) impossible for engines running side by side.
 */
public final class RetryPolicy {
    /** The default maximum number of attempts, the first included: 4. */
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    /** The default first delay: 1 s. */
    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(1);
    /** The default growth factor: 2.0. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /** The default ceiling of one delay: 30 s. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(30);
    /** The default jitter: 0.5, i.e. each delay is drawn from [50%, 150%] of its nominal value. */
    public static final double DEFAULT_JITTER = 0.5;
    /** The default backoff: {@link Backoff#EXPONENTIAL}. */
    public static final Backoff DEFAULT_BACKOFF = Backoff.EXPONENTIAL;

    private final int maxAttempts;
    private final Backoff backoff;
    private final Duration initialDelay;
    private final double multiplier;
    private final Duration maxDelay;
    private final double jitter;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.backoff = b.backoff;
        this.initialDelay = b.initialDelay;
        this.multiplier = b.multiplier;
        this.maxDelay = b.maxDelay;
        this.jitter = b.jitter;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static RetryPolicy defaults() {
        return builder().build();
    }

    /** A builder holding this policy's values, to refine some of them. */
    public Builder toBuilder() {
        return new Builder().maxAttempts(maxAttempts).backoff(backoff).initialDelay(initialDelay)
                .multiplier(multiplier).maxDelay(maxDelay).jitter(jitter);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Backoff backoff() {
        return backoff;
    }

    public Duration initialDelay() {
        return initialDelay;
    }

    public double multiplier() {
        return multiplier;
    }

    public Duration maxDelay() {
        return maxDelay;
    }

    public double jitter() {
        return jitter;
    }

    /**
     * The wait before attempt {@code failedAttempts + 1}: {@code initial * backoff.factor(failedAttempts)},
     * jittered, capped at the maximum, and never shorter than the broker's Retry-After.
     *
     * @param failedAttempts attempts made so far, at least 1
     * @param retryAfter     the broker's Retry-After, or null
     */
    public Duration delay(int failedAttempts, Duration retryAfter, RandomGenerator random) {
        double nominal = initialDelay.toNanos() * backoff.factor(failedAttempts, multiplier);
        double factor = jitter == 0 ? 1.0 : 1.0 - jitter + 2 * jitter * random.nextDouble();
        long nanos = (long) Math.min(nominal * factor, (double) maxDelay.toNanos());
        Duration delay = Duration.ofNanos(nanos);
        return retryAfter != null && retryAfter.compareTo(delay) > 0 ? retryAfter : delay;
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", backoff=" + backoff.wire() + ", initialDelay="
                + initialDelay + ", multiplier=" + multiplier + ", maxDelay=" + maxDelay + ", jitter=" + jitter + "]";
    }

    /** Builds a {@link RetryPolicy}; every check names the bound and the value. */
    public static final class Builder {
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Backoff backoff = DEFAULT_BACKOFF;
        private Duration initialDelay = DEFAULT_INITIAL_DELAY;
        private double multiplier = DEFAULT_MULTIPLIER;
        private Duration maxDelay = DEFAULT_MAX_DELAY;
        private double jitter = DEFAULT_JITTER;

        private Builder() {
        }

        public Builder maxAttempts(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, but was " + value);
            }
            this.maxAttempts = value;
            return this;
        }

        public Builder backoff(Backoff value) {
            this.backoff = java.util.Objects.requireNonNull(value, "backoff");
            return this;
        }

        public Builder initialDelay(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("initialDelay must be greater than 0, but was " + value);
            }
            this.initialDelay = value;
            return this;
        }

        public Builder multiplier(double value) {
            if (value < 1.0) {
                throw new IllegalArgumentException("multiplier must be at least 1.0, but was " + value);
            }
            this.multiplier = value;
            return this;
        }

        public Builder maxDelay(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("maxDelay must not be negative, but was " + value);
            }
            this.maxDelay = value;
            return this;
        }

        public Builder jitter(double value) {
            if (value < 0.0 || value > 1.0) {
                throw new IllegalArgumentException("jitter must be between 0.0 and 1.0, but was " + value);
            }
            this.jitter = value;
            return this;
        }

        public Builder jitter(BigDecimal value) {
            return jitter(value.doubleValue());
        }

        public RetryPolicy build() {
            if (maxDelay.compareTo(initialDelay) < 0) {
                throw new IllegalArgumentException("maxDelay must be at least initialDelay (" + initialDelay
                        + "), but was " + maxDelay);
            }
            return new RetryPolicy(this);
        }
    }
}
