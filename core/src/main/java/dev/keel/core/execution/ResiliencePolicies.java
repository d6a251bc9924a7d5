package dev.keel.core.execution;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Every resilience policy of one broker: the default circuit breaker and retry, each endpoint's own where it differs,
 * the retry budget, the rate limit and the bulkhead. Immutable; build with {@link #builder()}.
 */
public final class ResiliencePolicies {
    /** The default interval of the journaled counts of refused and delayed calls: 1 min. */
    public static final Duration DEFAULT_SUMMARY_INTERVAL = Duration.ofMinutes(1);

    private final BreakerPolicy breaker;
    private final RetryPolicy retry;
    private final Map<Endpoint, BreakerPolicy> breakers;
    private final Map<Endpoint, RetryPolicy> retries;
    private final RetryBudgetPolicy budget;
    private final RateLimitPolicy rateLimit;
    private final BulkheadPolicy bulkhead;
    private final Duration summaryInterval;

    private ResiliencePolicies(Builder b) {
        this.breaker = b.breaker;
        this.retry = b.retry;
        this.breakers = Map.copyOf(b.breakers);
        this.retries = Map.copyOf(b.retries);
        this.budget = b.budget;
        this.rateLimit = b.rateLimit;
        this.bulkhead = b.bulkhead;
        this.summaryInterval = b.summaryInterval;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Default breaker and retry on every endpoint, the default retry budget and bulkhead, no rate limit. */
    public static ResiliencePolicies defaults() {
        return builder().build();
    }

    /** The breaker of {@code endpoint}: its own, or the default. */
    public BreakerPolicy breaker(Endpoint endpoint) {
        return breakers.getOrDefault(endpoint, breaker);
    }

    /** The retry policy of {@code endpoint}: its own, or the default. */
    public RetryPolicy retry(Endpoint endpoint) {
        return retries.getOrDefault(endpoint, retry);
    }

    public BreakerPolicy defaultBreaker() {
        return breaker;
    }

    public RetryPolicy defaultRetry() {
        return retry;
    }

    /** The retry budget, or null when retries are not budgeted. */
    public RetryBudgetPolicy budget() {
        return budget;
    }

    /** The rate limit, or null when the broker publishes none. */
    public RateLimitPolicy rateLimit() {
        return rateLimit;
    }

    public BulkheadPolicy bulkhead() {
        return bulkhead;
    }

    /** How often refused and delayed calls are journaled as counts. */
    public Duration summaryInterval() {
        return summaryInterval;
    }

    @Override
    public String toString() {
        return "ResiliencePolicies[breaker=" + breaker + ", retry=" + retry + ", breakers=" + breakers + ", retries="
                + retries + ", budget=" + budget + ", rateLimit=" + rateLimit + ", bulkhead=" + bulkhead + "]";
    }

    /** Builds {@link ResiliencePolicies}. */
    public static final class Builder {
        private BreakerPolicy breaker = BreakerPolicy.defaults();
        private RetryPolicy retry = RetryPolicy.defaults();
        private final Map<Endpoint, BreakerPolicy> breakers = new EnumMap<>(Endpoint.class);
        private final Map<Endpoint, RetryPolicy> retries = new EnumMap<>(Endpoint.class);
        private RetryBudgetPolicy budget = RetryBudgetPolicy.defaults();
        private RateLimitPolicy rateLimit;
        private BulkheadPolicy bulkhead = BulkheadPolicy.defaults();
        private Duration summaryInterval = DEFAULT_SUMMARY_INTERVAL;

        private Builder() {
        }

        /** The breaker of every endpoint without its own. */
        public Builder breaker(BreakerPolicy policy) {
            this.breaker = Objects.requireNonNull(policy, "breaker");
            return this;
        }

        /** The retry policy of every endpoint without its own. */
        public Builder retry(RetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy, "retry");
            return this;
        }

        public Builder breaker(Endpoint endpoint, BreakerPolicy policy) {
            breakers.put(Objects.requireNonNull(endpoint, "endpoint"), Objects.requireNonNull(policy, "breaker"));
            return this;
        }

        public Builder retry(Endpoint endpoint, RetryPolicy policy) {
            retries.put(Objects.requireNonNull(endpoint, "endpoint"), Objects.requireNonNull(policy, "retry"));
            return this;
        }

        /** The retry budget; null for none (every retry the retry policy allows is made). */
        public Builder budget(RetryBudgetPolicy policy) {
            this.budget = policy;
            return this;
        }

        /** The rate limit; null for none. */
        public Builder rateLimit(RateLimitPolicy policy) {
            this.rateLimit = policy;
            return this;
        }

        public Builder bulkhead(BulkheadPolicy policy) {
            this.bulkhead = Objects.requireNonNull(policy, "bulkhead");
            return this;
        }

        public Builder summaryInterval(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("summaryInterval must not be negative, but was " + value);
            }
            this.summaryInterval = value;
            return this;
        }

        public ResiliencePolicies build() {
            return new ResiliencePolicies(this);
        }
    }
}
