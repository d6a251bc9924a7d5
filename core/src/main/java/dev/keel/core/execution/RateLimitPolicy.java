package dev.keel.core.execution;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * A broker's published request limit: at most {@code calls} in any {@code per}, counted over what {@link Scope} says
 * (the whole broker, or each account on its own); a call waits at most {@code maxWait} for a permit, else it is
 * refused locally (RATE_LIMITED, not sent). Alpaca publishes 200 requests per minute per account key:
 * {@link #ALPACA}. Immutable; build with {@link #builder()}.
 */
public final class RateLimitPolicy {
    /** The default longest wait for a permit: 10 s. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(10);
    /**
     * Alpaca Trading API: 200 requests per minute per key. Every Keel account on Alpaca trades with its own key pair,
     * so each account has its own budget.
     */
    public static final RateLimitPolicy ALPACA = builder().calls(200).per(Duration.ofMinutes(1)).scope(Scope.ACCOUNT)
            .build();

    /** Whose calls one budget counts. */
    public enum Scope {
        /** Every account of the broker shares one budget (one key for all of them): the default. */
        BROKER,
        /** Each account has a budget of its own: a broker counting per API key, each account its own key. */
        ACCOUNT
    }

    private final int calls;
    private final Duration per;
    private final Duration maxWait;
    private final Scope scope;

    private RateLimitPolicy(Builder b) {
        this.calls = b.calls;
        this.per = b.per;
        this.maxWait = b.maxWait;
        this.scope = b.scope;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this policy's values, to refine some of them. */
    public Builder toBuilder() {
        return new Builder().calls(calls).per(per).maxWait(maxWait).scope(scope);
    }

    public int calls() {
        return calls;
    }

    public Duration per() {
        return per;
    }

    public Duration maxWait() {
        return maxWait;
    }

    public Scope scope() {
        return scope;
    }

    /** A fresh limiter on {@code clock}: one budget, of the broker or of one account as {@link #scope} says. */
    public BrokerRateLimiter create(Clock clock) {
        return new BrokerRateLimiter(this, clock);
    }

    @Override
    public String toString() {
        return "RateLimitPolicy[calls=" + calls + ", per=" + per + ", maxWait=" + maxWait + ", scope=" + scope + "]";
    }

    /** Builds a {@link RateLimitPolicy}; every check names the bound and the value. */
    public static final class Builder {
        private int calls = 200;
        private Duration per = Duration.ofMinutes(1);
        private Duration maxWait = DEFAULT_MAX_WAIT;
        private Scope scope = Scope.BROKER;

        private Builder() {
        }

        public Builder calls(int value) {
            if (value < 1 || value > 100_000) {
                throw new IllegalArgumentException("calls must be between 1 and 100000, but was " + value);
            }
            this.calls = value;
            return this;
        }

        public Builder per(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("per must be positive, but was " + value);
            }
            this.per = value;
            return this;
        }

        public Builder maxWait(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("maxWait must not be negative, but was " + value);
            }
            this.maxWait = value;
            return this;
        }

        public Builder scope(Scope value) {
            this.scope = Objects.requireNonNull(value, "scope");
            return this;
        }

        public RateLimitPolicy build() {
            return new RateLimitPolicy(this);
        }
    }
}
