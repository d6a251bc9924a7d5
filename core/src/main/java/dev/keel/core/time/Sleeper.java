package dev.keel.core.time;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waiting, injected (law 11). Domain code waits only through a {@code Sleeper}: in production the system one, in
 * tests and the simulation a {@link ManualClock} that advances its time instead of blocking.
 */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration);

    /** Blocks the calling thread; the production implementation. An interrupt throws {@link WaitInterrupted}. */
    static Sleeper system() {
        return duration -> {
            if (duration.isNegative() || duration.isZero()) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(duration.toNanos());
            } catch (InterruptedException e) {
                throw new WaitInterrupted("waiting " + duration, e);
            }
        };
    }
}
