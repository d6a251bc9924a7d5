package dev.keel.core.execution;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import java.time.Duration;

/**
 * How many calls may be in flight to one broker at once ({@code maxConcurrent}, all accounts together) and to it for
 * one account ({@code perAccount}, 0 for no own limit), so one slow broker or account cannot take every thread. A
 * call over the limit is refused at once (BULKHEAD_FULL, not sent): resilience4j's {@code SemaphoreBulkhead} with a
 * maximum wait of zero, so it never waits on real time. Immutable; build with {@link #builder()}.
 */
public final class BulkheadPolicy {
    /** The default limit per broker: 8 calls in flight. */
    public static final int DEFAULT_MAX_CONCURRENT = 8;

    private final int maxConcurrent;
    private final int perAccount;

    private BulkheadPolicy(Builder b) {
        this.maxConcurrent = b.maxConcurrent;
        this.perAccount = b.perAccount;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static BulkheadPolicy defaults() {
        return builder().build();
    }

    /** A builder holding this policy's values, to refine some of them. */
    public Builder toBuilder() {
        return new Builder().maxConcurrent(maxConcurrent).perAccount(perAccount);
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    /** The limit for one account, 0 when accounts share {@link #maxConcurrent()} only. */
    public int perAccount() {
        return perAccount;
    }

    Bulkhead create(String name, int limit) {
        return Bulkhead.of(name, BulkheadConfig.custom().maxConcurrentCalls(limit).maxWaitDuration(Duration.ZERO)
                .build());
    }

    @Override
    public String toString() {
        return "BulkheadPolicy[maxConcurrent=" + maxConcurrent + ", perAccount=" + perAccount + "]";
    }

    /** Builds a {@link BulkheadPolicy}; every check names the bound and the value. */
    public static final class Builder {
        private int maxConcurrent = DEFAULT_MAX_CONCURRENT;
        private int perAccount;

        private Builder() {
        }

        public Builder maxConcurrent(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxConcurrent must be at least 1, but was " + value);
            }
            this.maxConcurrent = value;
            return this;
        }

        public Builder perAccount(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("perAccount must be at least 0, but was " + value);
            }
            this.perAccount = value;
            return this;
        }

        public BulkheadPolicy build() {
            if (perAccount > maxConcurrent) {
                throw new IllegalArgumentException("perAccount must be at most maxConcurrent (" + maxConcurrent
                        + "), but was " + perAccount);
            }
            return new BulkheadPolicy(this);
        }
    }
}
