package dev.keel.sim;

import dev.keel.core.engine.SideBySide;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's side-by-side work (its recovery, account by account) as actors of the seeded scheduler: the accounts
 * recover interleaved at every journal append, broker call and wait, in an order the seed decides, as threads of one
 * engine process. Reached inside a run already (a caller of a concurrent step recovering), the tasks run in turn on
 * that caller, since the scheduler runs one batch of actors at a time.
 */
final class SimSideBySide implements SideBySide {
    private final Scheduler scheduler;
    private final SimProcess process;

    SimSideBySide(Scheduler scheduler, SimProcess process) {
        this.scheduler = scheduler;
        this.process = process;
    }

    @Override
    public void runAll(List<Runnable> tasks) {
        if (tasks.size() <= 1 || scheduler.current() != null) {
            tasks.forEach(Runnable::run);
            return;
        }
        List<RuntimeException> failures = new ArrayList<>();
        List<Scheduler.Actor> actors = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            Runnable task = tasks.get(i);
            actors.add(new Scheduler.Actor("recovery-" + (i + 1), process, () -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        scheduler.run(actors);
        process.checkAlive(); // an actor that crashed killed the process: the caller dies with it
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
