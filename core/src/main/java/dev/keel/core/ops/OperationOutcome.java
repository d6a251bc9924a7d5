package dev.keel.core.ops;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.execution.OrderTrack;
import dev.keel.core.journal.OrderOutcomeRecorded;
import dev.keel.core.journal.OrderReferenced;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.OrderOutcome;
import dev.keel.core.model.OrderState;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An order operation's report: its state and one line per order it placed or acted on.
 *
 * @param code    the main error when not COMPLETED, or null
 * @param message what happened, for the operator
 */
public record OperationOutcome(String txId, String accountId, OperationType type, OperationState state,
                               List<Line> orders, ErrorCode code, String message) {
    public OperationOutcome {
        orders = List.copyOf(orders);
    }

    /**
     * One order: placed by this operation (its leg) or referenced from another transaction.
     *
     * @param leg            the leg within this operation, or the role ({@code cancel}, {@code replace}) of a
     *                       referenced order
     * @param ownTrack       true when this operation placed the order
     * @param state          the order's state as the journal knows it, null for an order the journal does not track
     * @param outcome        the result recorded for it, or null when none was (a leg still working)
     */
    public record Line(String leg, String clientOrderId, String brokerOrderId, boolean ownTrack, String description,
                       OrderState state, BigDecimal filledQuantity, OrderOutcome outcome, ErrorCode code,
                       String message) {
    }

    /** The report as the journal has it now. */
    public static OperationOutcome of(OperationView view, String accountId) {
        Map<String, Line> lines = new LinkedHashMap<>();
        for (OrderTrack t : view.orders()) {
            OrderOutcomeRecorded o = view.outcome(t.clientOrderId());
            lines.put(t.clientOrderId(), new Line(t.leg(), t.clientOrderId(), t.brokerOrderId(), true,
                    t.spec().describe(), t.state(), t.filledQuantity(), o == null ? null : o.outcome(),
                    o != null && o.code() != null ? o.code() : t.state().isTerminal() ? t.lastError() : null,
                    o != null && o.message() != null ? o.message() : t.lastMessage()));
        }
        for (OrderReferenced r : view.references()) {
            OrderOutcomeRecorded o = view.outcome(r.clientOrderId());
            lines.putIfAbsent(r.clientOrderId(), new Line(r.role(), r.clientOrderId(), r.brokerOrderId(), false,
                    r.spec() == null ? "" : r.spec().describe(), null,
                    o == null ? null : o.filledQuantity(), o == null ? null : o.outcome(),
                    o == null ? null : o.code(), o == null ? null : o.message()));
        }
        var ended = view.transaction().ended();
        return new OperationOutcome(view.transaction().started() == null ? null : view.transaction().started().txId(),
                accountId, view.type(), view.state(), new ArrayList<>(lines.values()),
                ended == null ? null : ended.errorCode(), ended == null ? null : ended.errorMessage());
    }
}
