package dev.keel.core.execution;

import java.time.Duration;
import java.util.Objects;

/**
 * How the executor drives one order.
 *
 * @param retry            submits after a definite non-acceptance, and lookups that fail
 * @param visibilityGrace  how long after a submit a broker's "not found" is still not proof of absence (law 4):
 *                         brokers index new orders with a lag
 * @param fillTimeout      how long an accepted order may take to fill before Keel cancels it
 * @param pollInterval     the first wait between fill checks; it doubles up to {@code maxPollInterval}
 * @param maxPollInterval  the longest wait between fill checks
 */
public record ExecutionSettings(RetryPolicy retry, Duration visibilityGrace, Duration fillTimeout,
                                Duration pollInterval, Duration maxPollInterval) {
    /** The default visibility grace: 2 s. */
    public static final Duration DEFAULT_VISIBILITY_GRACE = Duration.ofSeconds(2);
    /** The default fill timeout: 2 min. */
    public static final Duration DEFAULT_FILL_TIMEOUT = Duration.ofMinutes(2);

    public ExecutionSettings {
        Objects.requireNonNull(retry, "retry");
        requireNonNegative("visibilityGrace", visibilityGrace);
        requireNonNegative("fillTimeout", fillTimeout);
        requireNonNegative("pollInterval", pollInterval);
        requireNonNegative("maxPollInterval", maxPollInterval);
    }

    public static ExecutionSettings defaults() {
        return new ExecutionSettings(RetryPolicy.defaults(), DEFAULT_VISIBILITY_GRACE, DEFAULT_FILL_TIMEOUT,
                Duration.ofMillis(250), Duration.ofSeconds(5));
    }

    public ExecutionSettings withRetry(RetryPolicy policy) {
        return new ExecutionSettings(policy, visibilityGrace, fillTimeout, pollInterval, maxPollInterval);
    }

    private static void requireNonNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, but was " + d);
        }
    }
}
