package dev.keel.app.config;

import dev.keel.core.execution.RetryPolicy;
import java.time.Duration;

/**
 * The {@code retry} section as written: exponential backoff with jitter, for broker calls that are safe to repeat
 * (reads; a submit only ever through the UNKNOWN path). Its bounds are {@link RetryPolicy}'s, checked there.
 *
 * @param maxAttempts  attempts including the first, at least 1
 * @param initialDelay wait before the second attempt, greater than 0
 * @param multiplier   growth of the wait per attempt, at least 1.0
 * @param maxDelay     cap on the wait, at least {@code initialDelay}
 * @param jitter       randomisation factor of each wait, in [0, 1)
 */
public record RetrySettings(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay,
                            double jitter) {
    /** The defaults, {@link RetryPolicy}'s: 4 attempts, 1s, x2.0, at most 30s, jitter 0.5. */
    public static final RetrySettings DEFAULTS = new RetrySettings(RetryPolicy.DEFAULT_MAX_ATTEMPTS,
            RetryPolicy.DEFAULT_INITIAL_DELAY, RetryPolicy.DEFAULT_MULTIPLIER, RetryPolicy.DEFAULT_MAX_DELAY,
            RetryPolicy.DEFAULT_JITTER);

    public RetrySettings {
        policy(maxAttempts, initialDelay, multiplier, maxDelay, jitter); // throws, naming the bound, when out of it
    }

    /** The retry policy these settings describe. */
    public RetryPolicy policy() {
        return policy(maxAttempts, initialDelay, multiplier, maxDelay, jitter);
    }

    private static RetryPolicy policy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay,
                                      double jitter) {
        return RetryPolicy.builder().maxAttempts(maxAttempts).initialDelay(initialDelay).multiplier(multiplier)
                .maxDelay(maxDelay).jitter(jitter).build();
    }
}
