package dev.keel.sim;

import dev.keel.core.engine.AccountLeases;
import dev.keel.core.journal.Journal;
import dev.keel.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The accounts' leases of a whole scenario, shared by every engine in it: the cross-process lease, simulated. A wait
 * is a scheduling point: the waiter lets simulated time pass ({@link #POLL}) and yields, until the lease is free or
 * its timeout has passed on the simulated clock. A lease held by a dead process is free (law 13: a dead session's
 * lock is released by the database); closing it afterwards releases nothing. Each lease taken moves the account's
 * epoch on in the journal, as {@code store}'s leases do, so every session's appends are fenced; a holder whose lease
 * is {@link #revoke revoked} (it stalled and its database connection dropped) keeps running, unaware.
 */
final class SimLeases {
    /** How much simulated time a waiter lets pass each time it finds the lease still held: 1 s. */
    static final Duration POLL = Duration.ofSeconds(1);

    private final ManualClock clock;
    private final Scheduler scheduler;
    private final Map<String, Holder> held = new HashMap<>();
    /** Holders whose lease was taken from them while they ran, by account, with their epoch, until they release it. */
    private final Map<String, Map<Holder, Long>> revoked = new HashMap<>();
    /** The epoch of each lease held now, and the newest epoch handed out for each account. */
    private final Map<Holder, Long> epochs = new HashMap<>();
    private final Map<String, Long> newest = new HashMap<>();
    private final Journal journal;
    private long waits;
    private long timeouts;

    /** @param journal hands out the accounts' lease epochs (the fencing tokens) */
    SimLeases(ManualClock clock, Scheduler scheduler, Journal journal) {
        this.clock = clock;
        this.scheduler = scheduler;
        this.journal = journal;
    }

    /**
     * The account's holder stalls past its lease (a long pause, a dropped database connection): the lease is free for
     * others, and the holder goes on as if it still had it. False when no one holds the account.
     */
    boolean revoke(String accountId) {
        Holder h = held.remove(accountId);
        if (h == null) {
            return false;
        }
        revoked.computeIfAbsent(accountId, k -> new HashMap<>()).put(h, epochs.getOrDefault(h, 0L));
        return true;
    }

    /**
     * Whether the caller on this thread writes for {@code accountId} under a lease that was taken from it and then
     * taken by another (a newer epoch): what fencing must refuse. A stalled holder that no one replaced still owns the
     * account in effect, and its epoch is still the newest.
     */
    boolean staleWriter(SimProcess process, String accountId) {
        Scheduler.Actor actor = scheduler.current();
        Object owner = actor != null ? actor : Thread.currentThread();
        Long epoch = revoked.getOrDefault(accountId, Map.of()).get(new Holder(process, owner));
        return epoch != null && epoch < newest.getOrDefault(accountId, 0L);
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
        long epoch = journal.takeLease(accountId);
        epochs.put(mine, epoch);
        newest.put(accountId, epoch);
        // a lease taken over from a dead or stalled holder is not this one's to free
        return AccountLeases.AccountLease.of(accountId, epoch, () -> {
            held.remove(accountId, mine);
            epochs.remove(mine);
            revoked.getOrDefault(accountId, new HashMap<>()).remove(mine);
        });
    }

    /** Lease acquisitions that had to wait, and those that gave up with ACCOUNT_LOCKED. */
    long waits() {
        return waits;
    }

    long timeouts() {
        return timeouts;
    }
}
