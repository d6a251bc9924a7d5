package dev.keel.core.engine;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import java.time.Duration;

/**
 * Where an account's lease comes from (law 13: one writer per account). In one process a lock per account
 * ({@link #inProcess()}); across processes a lease the journal's database holds, with a fencing token; in the
 * simulation a lock whose waits are points of the seeded scheduler.
 */
public interface AccountLeases {

    /**
     * Takes the account's lease, waiting at most {@code timeout}.
     *
     * @throws dev.keel.core.error.KeelException ACCOUNT_LOCKED when another holder kept it for the whole wait
     */
    AccountLease acquire(String accountId, Duration timeout);

    /** Locks in this process's memory: enough while one process works on a journal. */
    static AccountLeases inProcess() {
        return new AccountLocks();
    }

    /** The refusal every implementation gives when the wait ran out: ACCOUNT_LOCKED, naming the account. */
    static KeelException locked(String accountId, Duration waited) {
        return new KeelException(ErrorCode.ACCOUNT_LOCKED,
                "account '" + accountId + "' is busy with another operation; waited " + waited,
                ErrorContext.of(null, accountId, null), null);
    }

    /** A held lease; closing releases it. Not reentrant: a holder takes an account's lease once. */
    interface AccountLease extends AutoCloseable {
        String accountId();

        /**
         * The fencing token: grows each time the account's lease changes hands across processes, so the journal
         * can refuse a write from a holder that lost it; 0 for a lease that only this process knows.
         */
        long epoch();

        @Override
        void close();

        /** A lease that {@code release} gives back; {@code epoch} is its fencing token. */
        static AccountLease of(String accountId, long epoch, Runnable release) {
            java.util.Objects.requireNonNull(release, "release");
            return new AccountLease() {
                @Override
                public String accountId() {
                    return accountId;
                }

                @Override
                public long epoch() {
                    return epoch;
                }

                @Override
                public void close() {
                    release.run();
                }
            };
        }
    }
}
