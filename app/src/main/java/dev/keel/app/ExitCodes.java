package dev.keel.app;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.TransactionStatus;

/** The exit codes of {@code keel}, so scripts can tell a partial rebalance from a broken config. */
public final class ExitCodes {
    /** Success; a transaction COMPLETED. */
    public static final int OK = 0;
    /** An internal error: a bug in Keel; details in the log. */
    public static final int INTERNAL = 1;
    /** Bad usage or an invalid configuration: nothing was done. */
    public static final int USAGE = 2;
    /** The transaction ended PARTIAL: some orders executed, the next run reconciles. */
    public static final int PARTIAL = 3;
    /**
     * The transaction ended FAILED, ABORTED, ROLLED_BACK or NEEDS_REVIEW, or Keel could not do the work: the journal
     * cannot be opened or is damaged, the broker cannot be reached.
     */
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

    /**
     * The exit code for a command that failed with {@code code}: 2 for the user's mistakes (the command line, the
     * configuration, an id Keel does not know, a request the current state refuses), 1 for Keel's own bugs, 4 for
     * everything Keel works with that failed (journal, broker, allocation service).
     */
    public static int of(ErrorCode code) {
        return switch (code) {
            case USAGE_INVALID, CONFIG_INVALID, UNKNOWN_ID, REQUEST_REFUSED, INVALID_ORDER, EVENT_INVALID -> USAGE;
            case INTERNAL_ERROR -> INTERNAL;
            default -> FAILED;
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
