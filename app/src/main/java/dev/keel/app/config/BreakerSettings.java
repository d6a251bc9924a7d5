package dev.keel.app.config;

import dev.keel.core.execution.BreakerPolicy;
import java.time.Duration;

/**
 * The {@code circuit-breaker} section as written (count-based sliding window). Its bounds are
 * {@link BreakerPolicy}'s, checked there.
 *
 * @param failureRatePercent open when at least this share of calls in the window failed, in [1, 100]
 * @param window             calls in the sliding window, at least 1
 * @param minimumCalls       calls needed before the rate counts, in [1, window]
 * @param openFor            how long the breaker stays open before it half-opens, greater than 0
 * @param halfOpenCalls      trial calls while half-open, at least 1
 */
public record BreakerSettings(int failureRatePercent, int window, int minimumCalls, Duration openFor,
                              int halfOpenCalls) {
    /** The defaults, {@link BreakerPolicy}'s: 50%, window 20, minimum 10 calls, open for 30s, 3 half-open calls. */
    public static final BreakerSettings DEFAULTS = new BreakerSettings(BreakerPolicy.DEFAULT_FAILURE_RATE,
            BreakerPolicy.DEFAULT_WINDOW, BreakerPolicy.DEFAULT_MINIMUM_CALLS, BreakerPolicy.DEFAULT_OPEN_FOR,
            BreakerPolicy.DEFAULT_HALF_OPEN_CALLS);

    public BreakerSettings {
        policy(failureRatePercent, window, minimumCalls, openFor, halfOpenCalls); // throws when out of bounds
    }

    /** The breaker policy these settings describe. */
    public BreakerPolicy policy() {
        return policy(failureRatePercent, window, minimumCalls, openFor, halfOpenCalls);
    }

    private static BreakerPolicy policy(int failureRate, int window, int minimumCalls, Duration openFor,
                                        int halfOpenCalls) {
        return BreakerPolicy.builder().failureRate(failureRate).window(window).minimumCalls(minimumCalls)
                .openFor(openFor).halfOpenCalls(halfOpenCalls).build();
    }
}
