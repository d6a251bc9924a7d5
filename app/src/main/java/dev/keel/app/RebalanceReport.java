package dev.keel.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.execution.OrderResult;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.ReconciliationRecorded;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.rebalance.RebalanceOutcome;
import dev.keel.core.rebalance.RebalancePlan;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * What {@code keel rebalance} and {@code keel demo} print about one rebalance: the plan, each order's result, how
 * troubled orders were recovered, the reconciliation and the outcome; as text or as one JSON document.
 */
record RebalanceReport(
        @JsonProperty("account") String account,
        @JsonProperty("transaction_id") String transactionId,
        @JsonProperty("status") TransactionStatus status,
        @JsonProperty("exit_code") int exitCode,
        @JsonProperty("error_code") ErrorCode errorCode,
        @JsonProperty("error_message") String errorMessage,
        @JsonProperty("reconciliation_notes") String reconciliationNotes,
        @JsonProperty("plan") RebalancePlan plan,
        @JsonProperty("executed_orders") List<TransactionDocument.ExecutedOrder> executedOrders,
        @JsonProperty("recovery") List<String> recovery,
        @JsonProperty("reconciliation") List<ReconciliationRecorded.Line> reconciliation,
        @JsonProperty("journal") String journal) {

    /**
     * The report of a rebalance that ran before, read back from the journal (an API call repeated with its
     * Idempotency-Key after the server restarted): what the transaction journaled; the plan, not journaled as such,
     * is null. A transaction still in progress reports IN_PROGRESS.
     */
    static RebalanceReport of(String account, dev.keel.core.journal.TransactionSummary earlier, Journal journal,
                              String journalUrl) {
        TransactionView view = TransactionView.fold(journal.stream(earlier.txId()));
        var ended = view.ended();
        List<TransactionDocument.ExecutedOrder> orders = view.started() == null ? List.of()
                : TransactionDocument.of(view).executedOrders();
        List<String> recovery = view.started() == null ? List.of() : RecoveryStory.lines(view);
        return new RebalanceReport(account, earlier.txId(), earlier.status(), ExitCodes.of(earlier.status()),
                ended == null ? null : ended.errorCode(), ended == null ? null : ended.errorMessage(),
                ended == null ? null : ended.reconciliationNotes(), null, orders, recovery,
                view.reconciliation() == null ? List.of() : view.reconciliation().lines(), journalUrl);
    }

    static RebalanceReport of(String account, RebalanceOutcome outcome, Journal journal, String journalUrl) {
        List<TransactionDocument.ExecutedOrder> orders = List.of();
        List<String> recovery = List.of();
        if (outcome.txId() != null) {
            TransactionView view = TransactionView.fold(journal.stream(outcome.txId()));
            if (view.started() != null) {
                orders = TransactionDocument.of(view).executedOrders();
                recovery = RecoveryStory.lines(view);
            }
        }
        return new RebalanceReport(account, outcome.txId(), outcome.status(), ExitCodes.of(outcome.status()),
                outcome.errorCode(), outcome.errorMessage(), outcome.notes(), outcome.plan(), orders, recovery,
                outcome.reconciliation() == null ? List.of() : outcome.reconciliation().lines(), journalUrl);
    }

    /** Progress lines on stderr as each order finishes. */
    static ProgressListener progress(Output output) {
        return new ProgressListener() {
            private Progress progress;

            @Override
            public void planned(RebalancePlan plan) {
                progress = output.progress(plan.orders().size());
            }

            @Override
            public void orderStarted(PlannedOrder order) {
                if (progress == null) {
                    progress = output.progress(0);
                }
            }

            @Override
            public void orderFinished(OrderResult r) {
                String outcome = r.status() + (r.errorCode() == null ? "" : " " + r.errorCode())
                        + (r.retryCount() > 0 ? ", " + r.retryCount() + " retries" : "");
                progress.step(r.side() + " " + r.symbol() + " $" + r.amountUsd().toPlainString() + ": " + outcome);
            }
        };
    }

    void print(Output output) {
        if (plan != null) {
            output.line("Plan for account " + account + ":");
            plan.describe().lines().forEach(l -> output.line("  " + l));
            output.line("");
        }
        if (!executedOrders.isEmpty()) {
            Table t = new Table("LEG", "STATUS", "AMOUNT", "FILLED $", "RETRIES", "BROKER ORDER", "ERROR");
            for (TransactionDocument.ExecutedOrder o : executedOrders) {
                t.row(o.leg(), o.status().name(), money(o.amountUsd()), money(o.filledUsd()),
                        Integer.toString(o.retryCount()), o.orderId() == null ? "-" : o.orderId(),
                        o.errorCode() == null ? "" : o.errorCode().name());
            }
            output.line("Orders:");
            output.table(t);
            output.line("");
        }
        if (!recovery.isEmpty()) {
            output.line("How Keel recovered:");
            recovery.forEach(l -> output.line("  " + l));
            output.line("");
        }
        if (!reconciliation.isEmpty()) {
            Table t = new Table("SYMBOL", "TARGET", "ACTUAL", "DRIFT", "QTY", "VALUE");
            for (ReconciliationRecorded.Line l : reconciliation) {
                t.row(l.symbol(), percent(l.targetWeight()), percent(l.actualWeight()), percent(l.drift()),
                        l.quantity().stripTrailingZeros().toPlainString(), money(l.marketValue()));
            }
            output.line("Reconciliation (broker positions after the orders):");
            output.table(t);
            output.line("");
        }
        output.line("Outcome: " + status + (errorCode == null ? "" : " (" + errorCode + ")")
                + (errorMessage == null ? "" : ": " + errorMessage));
        if (reconciliationNotes != null) {
            output.line("Notes: " + reconciliationNotes);
        }
        if (transactionId != null) {
            output.line("Transaction " + transactionId + " is in the journal at " + journal);
        }
    }

    private static String money(BigDecimal v) {
        return v == null ? "-" : v.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String percent(BigDecimal fraction) {
        return fraction.movePointRight(2).setScale(2, RoundingMode.HALF_EVEN).toPlainString() + "%";
    }
}
