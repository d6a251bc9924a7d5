package dev.keel.core.engine;

import dev.keel.core.time.Sleeper;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The places of a {@link SideBySide#threads} run: at most so many of its tasks work at once, and a task that waits
 * (a poll interval, a backoff, a grace period, a fill it waits out) gives its place to the next task for as long as
 * it waits. The recovery of 1,000 accounts on a thread each took a fifth longer on 2 cores, for the threads' own
 * switching, starts and wake-ups (bench/README.md); with places, as many threads work as do any good, and still no
 * account's recovery waits behind another's that is waiting (the soak's seed 1018237: a bracket left unprotected
 * for ten minutes behind an account waiting out its fill timeouts).
 *
 * <p>A task back from its wait takes a place if one is free and otherwise goes on without one, so a wait never turns
 * into a wait for a place: no task can hold up another that it waits for. The bound is therefore on the tasks that
 * start, and holds while none of them waits.
 */
public final class Places {
    /** The place the current thread's task holds, if it runs in a {@link SideBySide#threads} run. */
    private static final ThreadLocal<Held> HELD = new ThreadLocal<>();

    private final Semaphore free;

    Places(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("places must be at least 1, but was " + count);
        }
        this.free = new Semaphore(count, true);
    }

    /** Waits (interruptibly) until a place is free, and takes it for a task about to start. */
    void take() throws InterruptedException {
        free.acquire();
    }

    /** Gives back a place taken for a task that did not start. */
    void giveBack() {
        free.release();
    }

    /** Runs {@code task} in the place taken for it, given back when it ends (if it still holds it then). */
    void run(Runnable task) {
        Held held = new Held(this);
        HELD.set(held);
        try {
            task.run();
        } finally {
            HELD.remove();
            if (held.holding) {
                free.release();
            }
        }
    }

    /**
     * Runs {@code wait} with the current task's place given to the next task, then takes a place again if one is
     * free. Outside a {@link SideBySide#threads} run, or for a task that holds no place, it just runs {@code wait}.
     */
    public static <T> T away(Supplier<T> wait) {
        Held held = HELD.get();
        if (held == null || !held.holding) {
            return wait.get();
        }
        held.holding = false;
        held.places.free.release();
        try {
            return wait.get();
        } finally {
            held.holding = held.places.free.tryAcquire();
        }
    }

    /** {@code sleeper}, whose waits give the current task's place away ({@link #away}) while they last. */
    public static Sleeper yielding(Sleeper sleeper) {
        return duration -> {
            if (duration.isNegative() || duration.isZero()) {
                sleeper.sleep(duration);
                return;
            }
            away(() -> {
                sleeper.sleep(duration);
                return null;
            });
        };
    }

    /** A task's hold on its place; read and written by the task's own thread only. */
    private static final class Held {
        final Places places;
        boolean holding = true;

        Held(Places places) {
            this.places = places;
        }
    }
}
