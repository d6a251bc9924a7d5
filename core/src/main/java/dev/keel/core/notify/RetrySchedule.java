package dev.keel.core.notify;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the outbox waits before trying again after failures: doubling from {@code initial}, never more than
 * {@code max}. A channel down for an hour is tried a dozen times, not a thousand, and is found again within
 * {@code max} of coming back.
 *
 * @param initial the wait after the first failure
 * @param max     the longest wait
 */
record RetrySchedule(Duration initial, Duration max) {
    RetrySchedule {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("retry initial backoff must be positive, but was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("retry max backoff must be at least the initial " + initial
                    + ", but was " + max);
        }
    }

    /** The wait after {@code failures} failures in a row (at least 1). */
    Duration after(int failures) {
        Duration wait = initial;
        for (int i = 1; i < failures && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) < 0 ? wait : max;
    }
}
