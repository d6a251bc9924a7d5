package dev.keel.core.model;

import java.util.Locale;
import java.util.Optional;

/**
 * The multi-order operations Keel runs as sagas beside the rebalance. Each is a transaction in the journal whose
 * {@code operation} is {@link #operationName()}.
 */
public enum OperationType {
    /** An entry order, then a stop-loss and a take-profit as an OCO pair sized to what filled. */
    BRACKET_ORDER,
    /** A stop-loss and a take-profit exiting a held position, one cancelling the other. */
    OCO_PAIR,
    /** Cancel every open order on a symbol, then sell what is held. */
    POSITION_CLOSE,
    /** Cancel every open order of the account (or of one symbol). */
    BULK_CANCEL,
    /** Change a working order's quantity or price by cancel/replace. */
    ORDER_MODIFICATION,
    /**
     * Keel's own follow-up on a one-cancels-other link that outlived the operation that placed it: cancel the twin of
     * a leg that filled, flatten the excess when both filled, cancel protection whose position is gone. Started by
     * the protection watch, never by an operator.
     */
    OCO_ENFORCEMENT,
    /**
     * Compensating orders for a PARTIAL rebalance: what its orders bought is sold and what they sold is bought back,
     * as a saga of its own with its own terminal state. Started by an operator ({@code keel tx rollback}, the API).
     */
    REBALANCE_ROLLBACK;

    /** The name in the transaction log: {@code bracket_order}, {@code oco_pair}... */
    public String operationName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The operation type a transaction's {@code operation} names, empty for a rebalance or reconcile. */
    public static Optional<OperationType> ofOperation(String operation) {
        for (OperationType t : values()) {
            if (t.operationName().equals(operation)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
