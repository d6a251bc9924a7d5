package dev.keel.sim;

import dev.keel.core.time.ManualClock;
import dev.keel.core.time.Sleeper;
import dev.keel.core.time.WaitInterrupted;
import java.time.Duration;

/**
 * One process's sleeps on simulated time: the shared clock moves on, then the sleeper yields at a scheduling point.
 * After the process was {@linkplain SimProcess#shutDown() shut down} a sleep fails as {@link Sleeper#system()} fails
 * when its thread is interrupted.
 */
final class SimSleeper implements Sleeper {
    private final ManualClock clock;
    private final Scheduler scheduler;
    private final SimProcess process;

    SimSleeper(ManualClock clock, Scheduler scheduler, SimProcess process) {
        this.clock = clock;
        this.scheduler = scheduler;
        this.process = process;
    }

    @Override
    public void sleep(Duration duration) {
        if (process.isShutDown() && duration.isPositive()) {
            // what Sleeper.system() throws on an interrupt; the shutdown is the process's flag here, not the thread's
            // (the scheduler's own waits must not see it), so the flag the exception sets again is cleared
            WaitInterrupted interrupted = new WaitInterrupted("waiting " + duration,
                    new InterruptedException("simulated shutdown"));
            Thread.interrupted();
            throw interrupted;
        }
        scheduler.sleep(duration);
    }
}
