package dev.keel.store;

import dev.keel.core.engine.AccountLeases;
import dev.keel.core.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Account leases across processes on one journal (law 13 everywhere): an account's lock that every process sees
 * (PostgreSQL advisory lock, or a file lock beside the SQLite file), then a new lease epoch from the journal, the
 * fencing token every append of the holder carries: a holder that paused, lost its lock and woke up after another
 * took the account over can no longer write ({@code LEASE_LOST}). Within this process a lock per account comes
 * first, so threads of one process queue without polling the database.
 */
public final class DatabaseLeases implements AccountLeases {
    /** How often a waiter asks again for a lock another process holds: 50 ms. */
    static final Duration POLL = Duration.ofMillis(50);

    private final JdbcJournal journal;
    private final ProcessLock locks;
    private final AccountLeases local = AccountLeases.inProcess();
    private final Clock clock;
    private final Sleeper sleeper;

    DatabaseLeases(JdbcJournal journal, ProcessLock locks, Clock clock, Sleeper sleeper) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.locks = Objects.requireNonNull(locks, "locks");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    @Override
    public AccountLease acquire(String accountId, Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
        AccountLease inProcess = local.acquire(accountId, timeout);
        try {
            while (true) {
                ProcessLock.Held held = locks.tryLock(accountId);
                if (held != null) {
                    return lease(accountId, held, inProcess);
                }
                Duration left = Duration.between(clock.instant(), deadline);
                if (left.isNegative() || left.isZero()) {
                    throw AccountLeases.locked(accountId, timeout);
                }
                sleeper.sleep(left.compareTo(POLL) < 0 ? left : POLL);
            }
        } catch (RuntimeException | Error e) {
            inProcess.close();
            throw e;
        }
    }

    private AccountLease lease(String accountId, ProcessLock.Held held, AccountLease inProcess) {
        long epoch;
        try {
            epoch = journal.takeLease(accountId);
        } catch (RuntimeException | Error e) {
            held.close();
            throw e;
        }
        return AccountLease.of(accountId, epoch, () -> {
            try {
                held.close();
            } finally {
                inProcess.close();
            }
        });
    }
}
