package dev.keel.sim;

import dev.keel.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic cooperative scheduler, in the manner of FoundationDB's simulator: several callers ("actors") run as
 * threads, exactly one at a time, and control passes only at scheduling points (a journal append, a broker call, a
 * sleep, a lease wait). Which actor runs next is drawn from a seeded random, so a seed replays byte for byte.
 *
 * <p>A point reached outside a {@link #run} (the scenario's ordinary steps, on the simulation's own thread) does
 * nothing. A point reached by an actor whose process died throws {@link SimCrash}: the actor dies there, as every
 * thread of a killed process does. An actor that stops outside a scheduling point (blocked on a monitor another actor
 * holds while parked here) would hang the run; a wall-clock watchdog turns that into {@link Stuck} instead.
 */
final class Scheduler {
    /** How long no actor may pass control, on the wall clock, before the run is declared stuck: 20 s. */
    static final long WATCHDOG_MILLIS = 20_000;

    private final SplittableRandom random;
    private final long watchdogMillis;
    /** Simulated time, for timed waits; null in tests of the interleaving alone (a wait then just moves it on). */
    private final ManualClock clock;
    private final Object baton = new Object();
    private final ThreadLocal<Actor> current = new ThreadLocal<>();
    private final List<Actor> actors = new ArrayList<>();
    private Actor running;
    /** Scheduling points passed and actors finished: what the watchdog watches move. */
    private long progress;

    /** @param random the scenario's own stream for the order of actors */
    Scheduler(SplittableRandom random) {
        this(random, WATCHDOG_MILLIS, null);
    }

    /**
     * @param random the scenario's own stream for the order of actors
     * @param clock  the simulated time that actors' waits pass on
     */
    Scheduler(SplittableRandom random, ManualClock clock) {
        this(random, WATCHDOG_MILLIS, clock);
    }

    /** @param watchdogMillis how long no actor may pass control before the run is stuck (tests shorten it) */
    Scheduler(SplittableRandom random, long watchdogMillis) {
        this(random, watchdogMillis, null);
    }

    private Scheduler(SplittableRandom random, long watchdogMillis, ManualClock clock) {
        this.random = random;
        this.watchdogMillis = watchdogMillis;
        this.clock = clock;
    }

    /** One caller: its name for the trace, the process it belongs to, and what it does. */
    static final class Actor {
        private final String name;
        private final SimProcess process;
        private final Runnable body;
        private Thread thread;
        private boolean done;
        /** When a timed wait of the actor ends; null while it is ready to run. */
        private Instant wakeAt;

        Actor(String name, SimProcess process, Runnable body) {
            this.name = name;
            this.process = process;
            this.body = body;
        }

        String name() {
            return name;
        }

        SimProcess process() {
            return process;
        }
    }

    /** The run did not finish: an actor stopped outside a scheduling point. */
    static final class Stuck extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stuck(String message) {
            super(message, null, false, false);
        }
    }

    /** The actor running on this thread, or null outside {@link #run}. */
    Actor current() {
        return current.get();
    }

    /**
     * Runs the actors, interleaved by the seed, until every one has returned or died; the calling thread waits. Each
     * actor's own failures are its body's business: a body should catch what it means to report.
     *
     * @throws Stuck when no actor passed control for the watchdog's time
     */
    void run(List<Actor> batch) {
        synchronized (baton) {
            actors.clear();
            actors.addAll(batch);
            for (Actor a : actors) {
                a.thread = new Thread(() -> body(a), "keel-sim-actor-" + a.name);
                a.thread.setDaemon(true); // a stuck actor must not keep the JVM alive
            }
            running = actors.get(random.nextInt(actors.size()));
        }
        for (Actor a : batch) {
            a.thread.start();
        }
        synchronized (baton) {
            long seen = -1;
            long since = System.nanoTime(); // the watchdog's wall clock: it decides only that a run hangs
            while (actors.stream().anyMatch(a -> !a.done)) {
                if (seen != progress) {
                    seen = progress;
                    since = System.nanoTime();
                } else if (System.nanoTime() - since >= watchdogMillis * 1_000_000) {
                    Actor stuck = running;
                    String where = stuck == null ? "no actor holds the turn" : stuck.name + " is "
                            + stuck.thread.getState() + " at " + frames(stuck.thread);
                    throw new Stuck("the scheduler is stuck after " + progress + " scheduling points: " + where);
                }
                try {
                    baton.wait(watchdogMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Stuck("interrupted while actors ran");
                }
            }
            actors.clear();
            running = null;
        }
    }

    /**
     * A scheduling point: the running actor may hand control to another, drawn from the seed. Outside a run, does
     * nothing. Throws {@link SimCrash} when the actor's process died (now, or while it waited for its turn).
     */
    void point() {
        Actor me = current.get();
        if (me == null) {
            return;
        }
        me.process.checkAlive();
        synchronized (baton) {
            progress++;
            handOff(me);
            awaitTurn(me);
        }
        me.process.checkAlive();
    }

    /**
     * A timed wait: the actor sleeps until {@code duration} has passed on simulated time while the others run. Waits
     * overlap, as they do in real time: simulated time moves only when every live actor is waiting, and then to the
     * earliest wake-up (a discrete-event clock). Outside a run, or without a clock, it moves the clock on at once and
     * then is a scheduling point, as a sleep always was.
     */
    void sleep(Duration duration) {
        Actor me = current.get();
        if (me == null || clock == null) {
            if (clock != null && !duration.isNegative()) {
                clock.advance(duration);
            }
            point();
            return;
        }
        me.process.checkAlive();
        synchronized (baton) {
            progress++;
            me.wakeAt = clock.instant().plus(duration.isNegative() ? Duration.ZERO : duration);
            handOff(me);
            awaitTurn(me);
            me.wakeAt = null;
        }
        me.process.checkAlive();
    }

    private void body(Actor me) {
        current.set(me);
        try {
            synchronized (baton) {
                awaitTurn(me);
            }
            me.process.checkAlive();
            me.body.run();
        } catch (SimCrash crash) {
            me.process.die(crash.getMessage());
        } finally {
            current.remove();
            synchronized (baton) {
                me.done = true;
                progress++;
                handOff(me);
            }
        }
    }

    /**
     * Gives the turn to an actor drawn from the seed among those ready to run (possibly {@code me} again); when every
     * live actor is in a timed wait, simulated time first moves on to the earliest wake-up.
     */
    private void handOff(Actor me) {
        List<Actor> live = actors.stream().filter(a -> !a.done).toList();
        List<Actor> ready = live.stream().filter(this::ready).toList();
        if (ready.isEmpty() && !live.isEmpty()) {
            Instant earliest = live.stream().map(a -> a.wakeAt).min(Instant::compareTo).orElseThrow();
            clock.advance(Duration.between(clock.instant(), earliest));
            ready = live.stream().filter(this::ready).toList();
        }
        Actor next = ready.isEmpty() ? null : ready.get(random.nextInt(ready.size()));
        if (next != me) {
            running = next;
            baton.notifyAll();
        }
    }

    private boolean ready(Actor a) {
        return a.wakeAt == null || !clock.instant().isBefore(a.wakeAt);
    }

    private void awaitTurn(Actor me) {
        while (running != me) {
            try {
                baton.wait();
            } catch (InterruptedException e) {
                // nothing interrupts actors; should something, the scheduler's order must not change
                Thread.currentThread().interrupt();
                throw new SimCrash("interrupted while waiting for the turn");
            }
        }
    }

    private static String frames(Thread t) {
        StackTraceElement[] stack = t.getStackTrace();
        List<String> top = new ArrayList<>();
        for (int i = 0; i < Math.min(8, stack.length); i++) {
            top.add(stack[i].toString());
        }
        return String.join(" <- ", top);
    }
}
