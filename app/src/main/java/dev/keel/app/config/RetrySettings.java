package dev.keel.app.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Retry with exponential backoff and jitter, for broker calls that are safe to repeat (reads; a submit only ever
 * through the UNKNOWN path). Build in code with {@link #builder()}.
 *
 * @param maxAttempts  attempts including the first, at least 1
 * @param initialDelay wait before the second attempt, greater than 0
 * @param multiplier   growth of the wait per attempt, at least 1.0
 * @param maxDelay     cap on the wait, at least {@code initialDelay}
 * @param jitter       randomisation factor of each wait, in [0, 1)
 */
public record RetrySettings(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay,
                            double jitter) {
    /** The defaults: 4 attempts, 1s, x2.0, at most 30s, jitter 0.5. */
    public static final RetrySettings DEFAULTS = new RetrySettings(4, Duration.ofSeconds(1), 2.0,
            Duration.ofSeconds(30), 0.5);

    public RetrySettings {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, but was " + maxAttempts);
        }
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("initialDelay must be greater than 0, but was " + initialDelay);
        }
        if (!(multiplier >= 1.0)) {
            throw new IllegalArgumentException("multiplier must be at least 1.0, but was " + multiplier);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay must be at least initialDelay (" + initialDelay + "), but was "
                    + maxDelay);
        }
        if (!(jitter >= 0.0 && jitter < 1.0)) {
            throw new IllegalArgumentException("jitter must be in [0, 1), but was " + jitter);
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
        private int maxAttempts;
        private Duration initialDelay;
        private double multiplier;
        private Duration maxDelay;
        private double jitter;

        private Builder(RetrySettings from) {
            maxAttempts = from.maxAttempts;
            initialDelay = from.initialDelay;
            multiplier = from.multiplier;
            maxDelay = from.maxDelay;
            jitter = from.jitter;
        }

        public Builder maxAttempts(int value) {
            maxAttempts = value;
            return this;
        }

        public Builder initialDelay(Duration value) {
            initialDelay = value;
            return this;
        }

        public Builder multiplier(double value) {
            multiplier = value;
            return this;
        }

        public Builder maxDelay(Duration value) {
            maxDelay = value;
            return this;
        }

        public Builder jitter(double value) {
            jitter = value;
            return this;
        }

        public RetrySettings build() {
            return new RetrySettings(maxAttempts, initialDelay, multiplier, maxDelay, jitter);
        }
    }
}
