package dev.keel.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.OperationStateChanged;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.OrderOutcome;
import dev.keel.core.model.OrderState;
import dev.keel.core.ops.OperationOutcome;
import dev.keel.core.ops.OperationView;
import java.math.BigDecimal;
import java.util.List;

/**
 * What {@code keel order ...} and {@code keel ops rollback} print about one order operation: its id, type and state,
 * one row per order it placed or acted on, what happened and what to do next; as text or as one JSON document.
 *
 * @param journaled  false when the engine refused the request before anything was journaled or sent
 * @param rollbackOf the operation this one undoes, or null
 * @param nextStep   what the operator can do now
 */
record OperationReport(
        @JsonProperty("operation_id") String operationId,
        @JsonProperty("account") String account,
        @JsonProperty("type") OperationType type,
        @JsonProperty("state") OperationState state,
        @JsonProperty("exit_code") int exitCode,
        @JsonProperty("error_code") ErrorCode errorCode,
        @JsonProperty("message") String message,
        @JsonProperty("orders") List<Order> orders,
        @JsonProperty("journaled") boolean journaled,
        @JsonProperty("rollback_of") String rollbackOf,
        @JsonProperty("next_step") String nextStep,
        @JsonProperty("journal") String journal) {

    /** One order of the operation: a leg it placed, or an order of another transaction it acted on. */
    record Order(
            @JsonProperty("leg") String leg,
            @JsonProperty("client_order_id") String clientOrderId,
            @JsonProperty("broker_order_id") String brokerOrderId,
            @JsonProperty("placed_by_this_operation") boolean placedByThisOperation,
            @JsonProperty("what") String what,
            @JsonProperty("state") OrderState state,
            @JsonProperty("filled_qty") BigDecimal filledQty,
            @JsonProperty("outcome") OrderOutcome outcome,
            @JsonProperty("error_code") ErrorCode errorCode,
            @JsonProperty("error_message") String errorMessage) {

        static Order of(OperationOutcome.Line l) {
            return new Order(l.leg(), l.clientOrderId(), l.brokerOrderId(), l.ownTrack(), l.description(), l.state(),
                    l.filledQuantity(), l.outcome(), l.code(), l.message());
        }
    }

    static OperationReport of(OperationType requested, OperationOutcome outcome, String rollbackOf, Journal journal,
                              String journalUrl) {
        boolean journaled = outcome.txId() != null && journal.transaction(outcome.txId()).isPresent();
        OperationType type = outcome.type() != null ? outcome.type() : requested;
        String message = outcome.message();
        if (message == null && journaled && outcome.orders().isEmpty()) {
            // A COMPLETED operation carries no error message; when it touched no order its last state move is all
            // there is to say ("nothing to close: no VTI held"), so say it rather than end in silence.
            List<OperationStateChanged> moves = OperationView.fold(journal.stream(outcome.txId())).moves();
            String reason = moves.isEmpty() ? null : moves.get(moves.size() - 1).reason();
            message = "done".equals(reason) ? null : reason;
        }
        return new OperationReport(outcome.txId(), outcome.accountId(), type, outcome.state(),
                ExitCodes.of(outcome.state()), outcome.code(), message,
                outcome.orders().stream().map(Order::of).toList(), journaled, rollbackOf,
                nextStep(outcome.txId(), outcome.state(), journaled), journalUrl);
    }

    /** What the operator can do after an operation that stands in {@code state}. */
    static String nextStep(String id, OperationState state, boolean journaled) {
        if (!journaled) {
            return "nothing was journaled or sent; correct the request (or see keel-data/keel.log) and run it again";
        }
        if (state == null) {
            return "'keel ops show " + id + "' shows what the journal holds";
        }
        return switch (state) {
            case COMPLETED -> "done; 'keel ops show " + id + "' has every order and state move";
            case PARTIALLY_COMPLETED -> "part of it is done: 'keel ops show " + id + "' says which; 'keel ops rollback "
                    + id + "' undoes what was done";
            case FAILED -> "nothing was done; fix the cause above and run it again";
            case ROLLED_BACK -> "what was placed is cancelled and what filled is closed; 'keel ops show " + id
                    + "' has the details";
            case NEEDS_REVIEW -> "Keel could not settle it alone: compare 'keel broker orders' and 'keel broker "
                    + "positions' with 'keel ops show " + id + "', then 'keel reconcile'";
            case PENDING, IN_PROGRESS, ROLLING_BACK -> "still in progress: 'keel recover' resumes it";
        };
    }

    void print(Output output) {
        output.line("Operation " + (operationId == null ? "-" : operationId) + "  " + type + "  account " + account);
        if (rollbackOf != null) {
            output.line("Undoes   " + rollbackOf);
        }
        output.line("State    " + state + (errorCode == null ? "" : " (" + errorCode + ")"));
        if (!orders.isEmpty()) {
            output.line("");
            Table t = new Table("LEG", "CLIENT ORDER ID", "BROKER ORDER", "WHAT", "STATE", "FILLED", "OUTCOME",
                    "ERROR");
            for (Order o : orders) {
                t.row(o.leg(), o.clientOrderId(), o.brokerOrderId() == null ? "-" : o.brokerOrderId(), o.what(),
                        o.state() == null ? "-" : o.state().name(),
                        o.filledQty() == null ? "-" : o.filledQty().stripTrailingZeros().toPlainString(),
                        o.outcome() == null ? "-" : o.outcome().name(),
                        o.errorCode() == null ? "" : o.errorCode().name());
            }
            output.table(t);
        }
        output.line("");
        if (message != null) {
            output.line("Message  " + message);
        }
        output.line("Next     " + nextStep);
        if (journaled) {
            output.line("Operation " + operationId + " is in the journal at " + journal);
        }
    }
}
