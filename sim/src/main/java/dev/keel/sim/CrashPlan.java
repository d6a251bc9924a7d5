package dev.keel.sim;

import java.util.TreeSet;

/**
 * When the engine dies: at chosen steps, a step being one journal append or one broker call, counted across the
 * whole scenario. Each crash is either before the step (the append is lost; the request never leaves) or after it
 * (the append is durable; the broker acted, but the engine never hears the answer).
 */
final class CrashPlan {
    private final TreeSet<Long> steps;
    private final TreeSet<Long> journalFailures;
    private long step;
    private int crashes;
    private boolean armed = true;

    /**
     * @param steps           steps at which the engine dies
     * @param journalFailures steps at which a journal append fails (disk full) and the engine lives on
     */
    CrashPlan(TreeSet<Long> steps, TreeSet<Long> journalFailures) {
        this.steps = new TreeSet<>(steps);
        this.journalFailures = new TreeSet<>(journalFailures);
    }

    /** Whether the append at the current step fails; asked right after {@link #before}. */
    boolean journalFails() {
        return armed && journalFailures.remove(step);
    }

    /** Counts a step; throws {@link SimCrash} before or after it when the schedule says so. */
    void before(String what) {
        step++;
        if (armed && steps.contains(step) && step % 2 == 0) {
            crash("before " + what + " (step " + step + ")");
        }
    }

    void after(String what) {
        if (armed && steps.contains(step) && step % 2 == 1) {
            crash("after " + what + " (step " + step + ")");
        }
    }

    private void crash(String where) {
        steps.remove(step);
        crashes++;
        throw new SimCrash(where);
    }

    /** No more crashes: the final recovery runs to the end. */
    void disarm() {
        armed = false;
    }

    int crashes() {
        return crashes;
    }

    long steps() {
        return step;
    }
}
