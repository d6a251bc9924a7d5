package dev.keel.app.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The circuit breaker around broker calls (count-based sliding window). Build in code with {@link #builder()}.
 *
 * @param failureRatePercent open when at least this share of calls in the window failed, in (0, 100]
 * @param window             calls in the sliding window, at least 1
 * @param minimumCalls       calls needed before the rate counts, in [1, window]
 * @param openFor            how long the breaker stays open before it half-opens, greater than 0
 * @param halfOpenCalls      trial calls while half-open, at least 1
 */
public record BreakerSettings(int failureRatePercent, int window, int minimumCalls, Duration openFor,
                              int halfOpenCalls) {
    /** The defaults: 50%, window 20, minimum 10 calls, open for 30s, 3 half-open calls. */
    public static final BreakerSettings DEFAULTS = new BreakerSettings(50, 20, 10, Duration.ofSeconds(30), 3);

    public BreakerSettings {
        Objects.requireNonNull(openFor, "openFor");
        if (failureRatePercent < 1 || failureRatePercent > 100) {
            throw new IllegalArgumentException("failureRatePercent must be in [1, 100], but was " + failureRatePercent);
        }
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, but was " + window);
        }
        if (minimumCalls < 1 || minimumCalls > window) {
            throw new IllegalArgumentException("minimumCalls must be in [1, window=" + window + "], but was "
                    + minimumCalls);
        }
        if (openFor.isNegative() || openFor.isZero()) {
            throw new IllegalArgumentException("openFor must be greater than 0, but was " + openFor);
        }
        if (halfOpenCalls < 1) {
            throw new IllegalArgumentException("halfOpenCalls must be at least 1, but was " + halfOpenCalls);
        }
    }

    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Starts from the defaults (or a copy); {@link #build()} checks every bound. */
    public static final class Builder {
        private int failureRatePercent;
        private int window;
        private int minimumCalls;
        private Duration openFor;
        private int halfOpenCalls;

        private Builder(BreakerSettings from) {
            failureRatePercent = from.failureRatePercent;
            window = from.window;
            minimumCalls = from.minimumCalls;
            openFor = from.openFor;
            halfOpenCalls = from.halfOpenCalls;
        }

        public Builder failureRatePercent(int value) {
            failureRatePercent = value;
            return this;
        }

        public Builder window(int value) {
            window = value;
            return this;
        }

        public Builder minimumCalls(int value) {
            minimumCalls = value;
            return this;
        }

        public Builder openFor(Duration value) {
            openFor = value;
            return this;
        }

        public Builder halfOpenCalls(int value) {
            halfOpenCalls = value;
            return this;
        }

        public BreakerSettings build() {
            return new BreakerSettings(failureRatePercent, window, minimumCalls, openFor, halfOpenCalls);
        }
    }
}
