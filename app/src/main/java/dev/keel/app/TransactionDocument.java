package dev.keel.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.execution.OrderResult;
import dev.keel.core.execution.OrderTrack;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.OrderEvent;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionStarted;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.TransactionStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A transaction in the transaction-log shape of the rebalancer spec: {@code transaction_id, timestamp, operation,
 * target_orders, executed_orders[], status, error_message, reconciliation_notes}, folded from the journal.
 */
record TransactionDocument(
        @JsonProperty("transaction_id") String transactionId,
        @JsonProperty("timestamp") Instant timestamp,
        @JsonProperty("account") String account,
        @JsonProperty("operation") String operation,
        @JsonProperty("target_orders") Map<String, BigDecimal> targetOrders,
        @JsonProperty("executed_orders") List<ExecutedOrder> executedOrders,
        @JsonProperty("status") TransactionStatus status,
        @JsonProperty("error_code") ErrorCode errorCode,
        @JsonProperty("error_message") String errorMessage,
        @JsonProperty("reconciliation_notes") String reconciliationNotes,
        @JsonProperty("ended_at") Instant endedAt,
        @JsonProperty("resumed") int resumed) {

    /** One order of the transaction. */
    record ExecutedOrder(
            @JsonProperty("leg") String leg,
            @JsonProperty("ticker") String ticker,
            @JsonProperty("side") String side,
            @JsonProperty("amount_usd") BigDecimal amountUsd,
            @JsonProperty("status") OrderResult.Status status,
            @JsonProperty("order_state") String orderState,
            @JsonProperty("order_id") String orderId,
            @JsonProperty("client_order_id") String clientOrderId,
            @JsonProperty("filled_qty") BigDecimal filledQty,
            @JsonProperty("filled_usd") BigDecimal filledUsd,
            @JsonProperty("error_code") ErrorCode errorCode,
            @JsonProperty("error_message") String errorMessage,
            @JsonProperty("retry_count") int retryCount,
            @JsonProperty("timestamp") Instant timestamp) {
    }

    static TransactionDocument of(TransactionView view) {
        TransactionStarted s = view.started();
        TransactionEnded e = view.ended();
        Map<String, BigDecimal> targets = new LinkedHashMap<>();
        Map<String, BigDecimal> planned = new LinkedHashMap<>();
        for (PlannedOrder o : s.targetOrders()) {
            BigDecimal signed = o.spec().side() == dev.keel.core.model.Side.SELL
                    ? o.estimatedNotional().negate() : o.estimatedNotional();
            targets.put(o.spec().symbol().value(), signed);
            planned.put(o.leg(), o.estimatedNotional());
        }
        if (view.buysSized() != null) {
            view.buysSized().buys().forEach(b -> planned.put(b.leg(), b.estimatedNotional()));
        }
        List<ExecutedOrder> orders = new ArrayList<>();
        for (OrderTrack t : view.orders()) {
            OrderResult r = OrderResult.of(t, planned.getOrDefault(t.leg(), BigDecimal.ZERO));
            Instant at = lastEventAt(view, t.clientOrderId());
            orders.add(new ExecutedOrder(t.leg(), t.spec().symbol().value(), t.spec().side().wire(),
                    r.amountUsd(), r.status(), t.state().name(), t.brokerOrderId(), t.clientOrderId(),
                    t.filledQuantity(), t.filledNotional(), r.errorCode(), r.errorMessage(), r.retryCount(), at));
        }
        return new TransactionDocument(s.txId(), s.at(), s.accountId(), s.operation(), targets, orders,
                e == null ? TransactionStatus.IN_PROGRESS : e.status(), e == null ? null : e.errorCode(),
                e == null ? null : e.errorMessage(), e == null ? null : e.reconciliationNotes(),
                e == null ? null : e.at(), view.resumes());
    }

    private static Instant lastEventAt(TransactionView view, String clientOrderId) {
        Instant at = null;
        for (var event : view.events()) {
            if (event instanceof OrderEvent o && o.clientOrderId().equals(clientOrderId)) {
                at = event.at();
            }
        }
        return at;
    }
}
