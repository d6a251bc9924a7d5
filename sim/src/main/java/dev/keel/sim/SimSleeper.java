package dev.keel.sim;

import dev.keel.core.time.ManualClock;
import dev.keel.core.time.Sleeper;
import java.time.Duration;

/** Sleeping on simulated time: the shared clock moves on, then the sleeper yields at a scheduling point. */
final class SimSleeper implements Sleeper {
    private final ManualClock clock;
    private final Scheduler scheduler;

    SimSleeper(ManualClock clock, Scheduler scheduler) {
        this.clock = clock;
        this.scheduler = scheduler;
    }

    @Override
    public void sleep(Duration duration) {
        clock.sleep(duration);
        scheduler.point();
    }
}
