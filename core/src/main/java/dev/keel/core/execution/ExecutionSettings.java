package dev.keel.core.execution;

import java.time.Duration;
import java.util.Objects;

/**
 * How the executor drives one order.
 *
 * @param retry            the retry policy of a gateway built from a single breaker; the executor itself follows
 *                         its gateway's per-endpoint policies ({@link BrokerGateway#retryPolicy})
 * @param visibilityGrace  how long after a submit a broker's "not found" is still not proof of absence (law 4):
 *                         brokers index new orders with a lag
 * @param fillTimeout      how long an accepted order may take to fill before Keel cancels it
 * @param pollInterval     the first wait between fill checks; it doubles up to {@code maxPollInterval}
 * @param maxPollInterval  the longest wait between fill checks
 * @param protectionGrace  how long a bracket's filled position may wait for its protective orders, counted from when
 *                         Keel saw the fill: a protective order not working by then is given up (after at least one
 *                         try), and the bracket closes the position instead
 * @param hooks            where the simulation plants its bugs; {@link SimulationHooks#NONE} in production
 */
public record ExecutionSettings(RetryPolicy retry, Duration visibilityGrace, Duration fillTimeout,
                                Duration pollInterval, Duration maxPollInterval, Duration protectionGrace,
                                SimulationHooks hooks) {
    /** The default visibility grace: 2 s. */
    public static final Duration DEFAULT_VISIBILITY_GRACE = Duration.ofSeconds(2);
    /** The default fill timeout: 2 min. */
    public static final Duration DEFAULT_FILL_TIMEOUT = Duration.ofMinutes(2);
    /** The default protection grace: 30 s. */
    public static final Duration DEFAULT_PROTECTION_GRACE = Duration.ofSeconds(30);

    public ExecutionSettings {
        Objects.requireNonNull(retry, "retry");
        requireNonNegative("visibilityGrace", visibilityGrace);
        requireNonNegative("fillTimeout", fillTimeout);
        requireNonNegative("pollInterval", pollInterval);
        requireNonNegative("maxPollInterval", maxPollInterval);
        requireNonNegative("protectionGrace", protectionGrace);
        Objects.requireNonNull(hooks, "hooks");
    }

    /** The settings with the default protection grace, as production runs them. */
    public ExecutionSettings(RetryPolicy retry, Duration visibilityGrace, Duration fillTimeout, Duration pollInterval,
                             Duration maxPollInterval) {
        this(retry, visibilityGrace, fillTimeout, pollInterval, maxPollInterval, DEFAULT_PROTECTION_GRACE,
                SimulationHooks.NONE);
    }

    /** These settings with the simulation's {@code hooks}: for the simulation only. */
    public ExecutionSettings withHooks(SimulationHooks hooks) {
        return new ExecutionSettings(retry, visibilityGrace, fillTimeout, pollInterval, maxPollInterval,
                protectionGrace, hooks);
    }

    public static ExecutionSettings defaults() {
        return new ExecutionSettings(RetryPolicy.defaults(), DEFAULT_VISIBILITY_GRACE, DEFAULT_FILL_TIMEOUT,
                Duration.ofMillis(250), Duration.ofSeconds(5));
    }

    public ExecutionSettings withRetry(RetryPolicy policy) {
        return new ExecutionSettings(policy, visibilityGrace, fillTimeout, pollInterval, maxPollInterval,
                protectionGrace, hooks);
    }

    /**
     * These settings with the visibility grace of the broker they drive: the longest a lookup of an order the broker
     * took may still answer "not found" (law 4's premise).
     */
    public ExecutionSettings withVisibilityGrace(Duration grace) {
        return new ExecutionSettings(retry, grace, fillTimeout, pollInterval, maxPollInterval, protectionGrace,
                hooks);
    }

    public ExecutionSettings withProtectionGrace(Duration grace) {
        return new ExecutionSettings(retry, visibilityGrace, fillTimeout, pollInterval, maxPollInterval, grace,
                hooks);
    }

    private static void requireNonNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, but was " + d);
        }
    }
}
