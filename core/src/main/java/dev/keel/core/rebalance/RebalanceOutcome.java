package dev.keel.core.rebalance;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.execution.OrderResult;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.reconcile.Reconciliation;
import java.util.List;

/**
 * How a rebalance ended.
 *
 * @param txId           the transaction, or null when nothing needed doing (or a dry run)
 * @param status         the terminal state; COMPLETED also when no rebalance was needed
 * @param plan           the plan, or null when pre-flight stopped before planning
 * @param results        one per planned order, sells first, plus the buys dropped when scaled down
 * @param reconciliation expected against actual, or null when not reached
 * @param errorCode      the main error when not COMPLETED, or null
 * @param notes          reconciliation notes for the operator
 */
public record RebalanceOutcome(String txId, TransactionStatus status, RebalancePlan plan, List<OrderResult> results,
                               Reconciliation reconciliation, ErrorCode errorCode, String errorMessage,
                               String notes) {
    public RebalanceOutcome {
        results = List.copyOf(results);
    }

    /** Nothing to do: every symbol within its drift threshold. */
    public boolean noAction() {
        return txId == null && status == TransactionStatus.COMPLETED;
    }
}
