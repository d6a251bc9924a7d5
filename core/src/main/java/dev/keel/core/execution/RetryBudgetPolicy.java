package dev.keel.core.execution;

import java.time.Clock;
import java.time.Duration;

/**
 * How many retries a broker may take: at most {@code ratio} of the first attempts made in the sliding
 * {@code window}, but always at least {@code minimumRetries} per window so a quiet system can still retry.
 * Immutable; build with {@link #builder()}.
 */
public final class RetryBudgetPolicy {
    /** The default share of retries: 0.2, i.e. retries add at most 20 % to the traffic. */
    public static final double DEFAULT_RATIO = 0.2;
    /** The default sliding window: 60 s. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
    /** The default floor of retries per window: 3. */
    public static final int DEFAULT_MINIMUM_RETRIES = 3;

    private final double ratio;
    private final Duration window;
    private final int minimumRetries;

    private RetryBudgetPolicy(Builder b) {
        this.ratio = b.ratio;
        this.window = b.window;
        this.minimumRetries = b.minimumRetries;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static RetryBudgetPolicy defaults() {
        return builder().build();
    }

    /** A builder holding this policy's values, to refine some of them. */
    public Builder toBuilder() {
        return new Builder().ratio(ratio).window(window).minimumRetries(minimumRetries);
    }

    public double ratio() {
        return ratio;
    }

    public Duration window() {
        return window;
    }

    public int minimumRetries() {
        return minimumRetries;
    }

    /** A fresh budget on {@code clock}, shared by every account and endpoint of one broker. */
    public RetryBudget create(Clock clock) {
        return new RetryBudget(this, clock);
    }

    @Override
    public String toString() {
        return "RetryBudgetPolicy[ratio=" + ratio + ", window=" + window + ", minimumRetries=" + minimumRetries + "]";
    }

    /** Builds a {@link RetryBudgetPolicy}; every check names the bound and the value. */
    public static final class Builder {
        private double ratio = DEFAULT_RATIO;
        private Duration window = DEFAULT_WINDOW;
        private int minimumRetries = DEFAULT_MINIMUM_RETRIES;

        private Builder() {
        }

        public Builder ratio(double value) {
            if (!(value >= 0.0 && value <= 10.0)) {
                throw new IllegalArgumentException("ratio must be between 0.0 and 10.0, but was " + value);
            }
            this.ratio = value;
            return this;
        }

        public Builder window(Duration value) {
            if (value.toMillis() < RetryBudget.BUCKETS) {
                throw new IllegalArgumentException("window must be at least " + RetryBudget.BUCKETS
                        + "ms, but was " + value);
            }
            this.window = value;
            return this;
        }

        public Builder minimumRetries(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("minimumRetries must be at least 0, but was " + value);
            }
            this.minimumRetries = value;
            return this;
        }

        public RetryBudgetPolicy build() {
            return new RetryBudgetPolicy(this);
        }
    }
}
