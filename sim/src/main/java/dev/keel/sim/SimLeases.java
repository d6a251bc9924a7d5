package dev.keel.sim;

import dev.keel.core.engine.AccountLeases;
import dev.keel.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The accounts' leases of a whole scenario, shared by every engine in it: the cross-process lease, simulated. A wait
 * is a scheduling point: the waiter lets simulated time pass ({@link #POLL}) and yields, until the lease is free or
 * its timeout has passed on the simulated clock. A lease held by a dead process is free (law 13: a dead session's
 * lock is released by the database); closing it afterwards releases nothing.
 */
final class SimLeases {
    /** How much simulated time a waiter lets pass each time it finds the lease still held: 1 s. */
    static final Duration POLL = Duration.ofSeconds(1);

    private final ManualClock clock;
    private final Scheduler scheduler;
    private final Map<String, Holder> held = new HashMap<>();
    private long waits;
    private long timeouts;

    SimLeases(ManualClock clock, Scheduler scheduler) {
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /** Who holds a lease: a process, and the actor (or, outside concurrent steps, the thread) in it. */
    private record Holder(SimProcess process, Object owner) {
    }

    /** Binds the leases to one engine process. */
    AccountLeases of(SimProcess process) {
        return (accountId, timeout) -> acquire(process, accountId, timeout);
    }

    private AccountLeases.AccountLease acquire(SimProcess process, String accountId, Duration timeout) {
        Scheduler.Actor actor = scheduler.current();
        Object owner = actor != null ? actor : Thread.currentThread();
        Instant deadline = clock.instant().plus(timeout);
        boolean waited = false;
        while (true) {
            Holder now = held.get(accountId);
            if (now == null || now.process().dead()) {
                Holder mine = new Holder(process, owner);
                held.put(accountId, mine);
                return lease(accountId, mine);
            }
            if (now.owner() == owner && now.process() == process) {
                throw new IllegalStateException("account '" + accountId + "' is already leased by " + owner);
            }
            if (actor == null || !clock.instant().isBefore(deadline)) {
                timeouts++;
                throw AccountLeases.locked(accountId, timeout);
            }
            if (!waited) {
                waits++;
                waited = true;
            }
            scheduler.sleep(POLL); // a poll; other actors' waits overlap it
        }
    }

    private AccountLeases.AccountLease lease(String accountId, Holder mine) {
        // a lease taken over from a dead holder is not this one's to free
        return AccountLeases.AccountLease.of(accountId, 0, () -> held.remove(accountId, mine));
    }

    /** Lease acquisitions that had to wait, and those that gave up with ACCOUNT_LOCKED. */
    long waits() {
        return waits;
    }

    long timeouts() {
        return timeouts;
    }
}
