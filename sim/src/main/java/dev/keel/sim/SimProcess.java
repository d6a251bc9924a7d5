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
    private boolean shutDown;
    private final java.util.List<dev.keel.core.journal.TransactionEnded> endedAfterShutdown = new java.util.ArrayList<>();

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

    /**
     * A clean shutdown (SIGTERM): the process's threads are interrupted, so each of its sleeps from now on fails as
     * {@link dev.keel.core.time.Sleeper#system()} fails on an interrupt.
     */
    synchronized void shutDown() {
        shutDown = true;
    }

    synchronized boolean isShutDown() {
        return shutDown;
    }

    /** Notes what the process appended after its shutdown (issue 10, finding 6). */
    synchronized void appended(java.util.List<? extends dev.keel.core.journal.JournalEvent> events) {
        if (!shutDown) {
            return;
        }
        for (dev.keel.core.journal.JournalEvent e : events) {
            if (e instanceof dev.keel.core.journal.TransactionEnded ended) {
                endedAfterShutdown.add(ended);
            }
        }
    }

    /** The transactions the process ended after it was shut down. */
    synchronized java.util.List<dev.keel.core.journal.TransactionEnded> endedAfterShutdown() {
        return java.util.List.copyOf(endedAfterShutdown);
    }

    @Override
    public String toString() {
        return "engine " + epoch;
    }
}
