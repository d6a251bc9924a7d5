package dev.keel.sim;

/**
 * One engine process of a scenario: alive until a {@link SimCrash} in any of its threads kills it. Its other threads
 * die at their next scheduling point, and the leases it held are free again, as a database frees a dead session's
 * locks. A process that ended its work cleanly is simply no longer used.
 */
final class SimProcess {
    private final int epoch;
    private String death;
    /**
     * A monitor the process's code holds across a journal append (the outbox's, finding 7): a scheduling point under
     * it is passed without yielding, or a second actor of the process would block on it and hang the scheduler.
     */
    private Object heldAcrossAppends;

    SimProcess(int epoch) {
        this.epoch = epoch;
    }

    int epoch() {
        return epoch;
    }

    synchronized boolean dead() {
        return death != null;
    }

    /** Kills the process (once; the first cause is kept). */
    synchronized void die(String why) {
        if (death == null) {
            death = why;
        }
    }

    /** Throws {@link SimCrash} in a thread of a dead process. */
    void checkAlive() {
        String why;
        synchronized (this) {
            why = death;
        }
        if (why != null) {
            throw new SimCrash("of engine " + epoch + " (its process died: " + why + ")");
        }
    }

    void holdsAcrossAppends(Object monitor) {
        this.heldAcrossAppends = monitor;
    }

    /** Whether this thread is inside a monitor that must not be yielded under. */
    boolean mayYield() {
        return heldAcrossAppends == null || !Thread.holdsLock(heldAcrossAppends);
    }

    @Override
    public String toString() {
        return "engine " + epoch;
    }
}
