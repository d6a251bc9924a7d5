package dev.keel.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs independent pieces of work side by side and returns when every one has finished: the engine recovers its
 * accounts this way, so that one account's long recovery (a rebalance waiting out its fill timeouts) does not leave
 * another's unprotected bracket waiting behind it (found by the simulation's soak, seed 1018237: a bracket's
 * position stood without protection for ten minutes while the account before it in line recovered). Each account
 * is still worked by one caller at a time: its lease (law 13) sees to that, not this runner.
 */
@FunctionalInterface
public interface SideBySide {

    /**
     * Runs every task and waits for all of them. When tasks fail, the others still run to their end; then the first
     * failure is thrown, with the later ones suppressed in it.
     */
    void runAll(List<Runnable> tasks);

    /** One task after the other on the caller's thread: the order of the list, the first failure stops the rest. */
    static SideBySide inTurn() {
        return tasks -> tasks.forEach(Runnable::run);
    }

    /**
     * At most {@code width} tasks at work at once, each on a thread of its own, named {@code keel-<name>-N}. A task
     * that waits through a {@link Places#yielding} sleeper (or {@link Places#away}) gives its place to the next task
     * while it waits, so a long wait holds no other task back; threads are made as places are taken, and reused.
     *
     * @param width how many tasks may work at once, at least 1
     */
    static SideBySide threads(String name, int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be at least 1, but was " + width);
        }
        return tasks -> {
            if (tasks.size() <= 1) {
                tasks.forEach(Runnable::run);
                return;
            }
            AtomicInteger n = new AtomicInteger();
            ThreadFactory factory = r -> {
                Thread t = new Thread(r, "keel-" + name + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            Places places = new Places(Math.min(width, tasks.size()));
            ExecutorService pool = Executors.newCachedThreadPool(factory);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (Runnable task : tasks) {
                    try {
                        places.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new dev.keel.core.time.WaitInterrupted("accounts recovered side by side", e);
                    }
                    try {
                        futures.add(pool.submit(() -> places.run(task)));
                    } catch (RuntimeException e) {
                        places.giveBack();
                        throw e;
                    }
                }
                RuntimeException first = null;
                for (Future<?> f : futures) {
                    RuntimeException failure = outcome(f);
                    if (failure != null && first == null) {
                        first = failure;
                    } else if (failure != null) {
                        first.addSuppressed(failure);
                    }
                }
                if (first != null) {
                    throw first;
                }
            } finally {
                pool.shutdownNow();
            }
        };
    }

    /** The task's failure, or null; an interrupt of the waiting caller interrupts the tasks and is passed on. */
    private static RuntimeException outcome(Future<?> f) {
        try {
            f.get();
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                return r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            return new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.keel.core.time.WaitInterrupted("accounts recovered side by side", e);
        }
    }
}
