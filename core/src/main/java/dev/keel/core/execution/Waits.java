package dev.keel.core.execution;

import dev.keel.core.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Waiting before the next try, never past a deadline (a protective order's protection grace). */
final class Waits {
    private Waits() {
    }

    /** Sleeps {@code wait}, or only until {@code deadline} when that comes first; null for no deadline. */
    static void sleep(Sleeper sleeper, Clock clock, Duration wait, Instant deadline) {
        if (deadline == null) {
            sleeper.sleep(wait);
            return;
        }
        Duration left = Duration.between(clock.instant(), deadline);
        Duration capped = left.compareTo(wait) < 0 ? left : wait;
        if (capped.isPositive()) {
            sleeper.sleep(capped);
        }
    }
}
