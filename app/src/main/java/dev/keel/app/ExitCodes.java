package dev.keel.app;

import dev.keel.core.model.OperationState;
import dev.keel.core.model.TransactionStatus;

/** The exit codes of {@code keel}, so scripts can tell a partial rebalance from a broken config. */
public final class ExitCodes {
    /** Success; a transaction COMPLETED. */
    public static final int OK = 0;
    /** An internal error: a bug or an environment failure; details in the log. */
    public static final int INTERNAL = 1;
    /** Bad usage or an invalid configuration: nothing was done. */
    public static final int USAGE = 2;
    /** The transaction ended PARTIAL: some orders executed, the next run reconciles. */
    public static final int PARTIAL = 3;
    /** The transaction ended FAILED, ABORTED, ROLLED_BACK or NEEDS_REVIEW. */
    public static final int FAILED = 4;

    private ExitCodes() {
    }

    /** The exit code for a transaction that ended in {@code status}. */
    public static int of(TransactionStatus status) {
        return switch (status) {
            case COMPLETED -> OK;
            case PARTIAL -> PARTIAL;
            case FAILED, ABORTED, ROLLED_BACK, NEEDS_REVIEW -> FAILED;
            // law 6: nothing ends in progress; if it did, that is Keel's bug, not the user's
            case IN_PROGRESS -> INTERNAL;
        };
    }

    /** The exit code for an order operation that stands in {@code state}: COMPLETED 0, PARTIALLY_COMPLETED 3, other ends 4. */
    public static int of(OperationState state) {
        if (state == null || !state.isTerminal()) {
            // law 6: an operation returned to the operator is over; one that is not is Keel's bug
            return INTERNAL;
        }
        return of(state.transactionStatus());
    }
}
