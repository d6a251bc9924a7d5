package dev.keel.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.execution.OrderTrack;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.DoubleFillDetected;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.OperationStateChanged;
import dev.keel.core.journal.OrderAttemptFailed;
import dev.keel.core.journal.OrderCancelFailed;
import dev.keel.core.journal.OrderCancelRequested;
import dev.keel.core.journal.OrderEvent;
import dev.keel.core.journal.OrderFailed;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.OrderLookedUp;
import dev.keel.core.journal.OrderOutcomeRecorded;
import dev.keel.core.journal.OrderReferenced;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.journal.OrdersLinked;
import dev.keel.core.journal.OrdersUnlinked;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionEvent;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.OrderOutcome;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.TimeInForce;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.ops.OperationView;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One order operation as {@code keel ops show} prints it, folded from the journal: the request, every state move
 * with its time and reason, the one-cancels-other links, each order with its events and its recorded outcome, and
 * any double fill. Orders of other transactions the operation acted on carry the events of their own transaction.
 */
record OperationDocument(
        @JsonProperty("operation_id") String operationId,
        @JsonProperty("account") String account,
        @JsonProperty("type") OperationType type,
        @JsonProperty("state") OperationState state,
        @JsonProperty("transaction_status") TransactionStatus transactionStatus,
        @JsonProperty("correlation_id") String correlationId,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("ended_at") Instant endedAt,
        @JsonProperty("error_code") ErrorCode errorCode,
        @JsonProperty("message") String message,
        @JsonProperty("resumed") int resumed,
        @JsonProperty("request") Request request,
        @JsonProperty("moves") List<Move> moves,
        @JsonProperty("links") List<Link> links,
        @JsonProperty("orders") List<Order> orders,
        @JsonProperty("double_fills") List<DoubleFill> doubleFills,
        @JsonProperty("rolled_back_by") List<String> rolledBackBy) {

    /** What the operator asked; fields the type does not use are null. */
    record Request(
            @JsonProperty("symbol") String symbol,
            @JsonProperty("qty") BigDecimal qty,
            @JsonProperty("entry_limit") BigDecimal entryLimit,
            @JsonProperty("stop") BigDecimal stop,
            @JsonProperty("stop_limit") BigDecimal stopLimit,
            @JsonProperty("target") BigDecimal target,
            @JsonProperty("time_in_force") TimeInForce timeInForce,
            @JsonProperty("order") String order,
            @JsonProperty("new_qty") BigDecimal newQty,
            @JsonProperty("new_limit") BigDecimal newLimit,
            @JsonProperty("new_stop") BigDecimal newStop,
            @JsonProperty("rollback_of") String rollbackOf) {

        static Request of(OperationParams p) {
            return new Request(p.symbol() == null ? null : p.symbol().value(), p.quantity(), p.entryLimit(),
                    p.stopPrice(), p.stopLimit(), p.targetPrice(), p.timeInForce(), p.clientOrderId(),
                    p.newQuantity(), p.newLimitPrice(), p.newStopPrice(), p.rollbackOf());
        }

        /** {@code qty=10 stop=95 target=110}: the fields given. */
        String describe() {
            StringBuilder b = new StringBuilder();
            add(b, "symbol", symbol);
            add(b, "qty", qty);
            add(b, "entry-limit", entryLimit);
            add(b, "stop", stop);
            add(b, "stop-limit", stopLimit);
            add(b, "target", target);
            add(b, "tif", timeInForce);
            add(b, "order", order);
            add(b, "new-qty", newQty);
            add(b, "new-limit", newLimit);
            add(b, "new-stop", newStop);
            add(b, "rollback-of", rollbackOf);
            return b.toString().strip();
        }

        private static void add(StringBuilder b, String name, Object value) {
            if (value != null) {
                b.append(' ').append(name).append('=').append(Table.text(value));
            }
        }
    }

    /** A state move; {@code from} is null for the first. */
    record Move(@JsonProperty("from") OperationState from, @JsonProperty("to") OperationState to,
                @JsonProperty("reason") String reason, @JsonProperty("at") Instant at) {
    }

    /** A one-cancels-other link between two of the operation's orders. */
    record Link(@JsonProperty("link") String link, @JsonProperty("take_profit") String takeProfit,
                @JsonProperty("stop_loss") String stopLoss, @JsonProperty("held_by_broker") boolean heldByBroker,
                @JsonProperty("linked_at") Instant linkedAt, @JsonProperty("unlinked_at") Instant unlinkedAt,
                @JsonProperty("unlink_reason") String unlinkReason) {
    }

    /** One order with its journal events, oldest first. */
    record Order(
            @JsonProperty("leg") String leg,
            @JsonProperty("client_order_id") String clientOrderId,
            @JsonProperty("broker_order_id") String brokerOrderId,
            @JsonProperty("placed_by_this_operation") boolean placedByThisOperation,
            @JsonProperty("owner_operation") String ownerOperation,
            @JsonProperty("what") String what,
            @JsonProperty("state") OrderState state,
            @JsonProperty("filled_qty") BigDecimal filledQty,
            @JsonProperty("avg_price") BigDecimal avgPrice,
            @JsonProperty("outcome") OrderOutcome outcome,
            @JsonProperty("error_code") ErrorCode errorCode,
            @JsonProperty("message") String message,
            @JsonProperty("events") List<Event> events) {
    }

    /** One journal event of an order, in words. */
    record Event(@JsonProperty("at") Instant at, @JsonProperty("event") String event,
                 @JsonProperty("detail") String detail) {
    }

    /** Both legs of a link filled; the excess was (or is being) flattened. */
    record DoubleFill(@JsonProperty("link") String link, @JsonProperty("symbol") String symbol,
                      @JsonProperty("excess") BigDecimal excess, @JsonProperty("flatten_order_id") String flattenOrderId,
                      @JsonProperty("at") Instant at) {
    }

    /** The document of {@code view}, an operation's fold; {@code journal} supplies referenced orders' events. */
    static OperationDocument of(OperationView view, Journal journal, List<String> rolledBackBy) {
        TransactionView tx = view.transaction();
        TransactionEnded ended = tx.ended();
        List<Move> moves = view.moves().stream().map(OperationDocument::move).toList();
        List<Link> links = new ArrayList<>();
        for (OrdersLinked l : view.links()) {
            OrdersUnlinked u = tx.events().stream().filter(e -> e instanceof OrdersUnlinked x
                    && x.link().equals(l.link())).map(OrdersUnlinked.class::cast).findFirst().orElse(null);
            links.add(new Link(l.link(), l.takeProfitOrderId(), l.stopLossOrderId(), l.heldByBroker(), l.at(),
                    u == null ? null : u.at(), u == null ? null : u.reason()));
        }
        List<Order> orders = new ArrayList<>();
        for (OrderTrack t : view.orders()) {
            OrderOutcomeRecorded o = view.outcome(t.clientOrderId());
            orders.add(new Order(t.leg(), t.clientOrderId(), t.brokerOrderId(), true, null, t.spec().describe(),
                    t.state(), t.filledQuantity(), t.filledAvgPrice(), o == null ? null : o.outcome(),
                    o != null && o.code() != null ? o.code() : t.lastError(),
                    o != null && o.message() != null ? o.message() : t.lastMessage(),
                    events(tx.events(), t.clientOrderId())));
        }
        for (OrderReferenced r : view.references()) {
            if (view.order(r.clientOrderId()) != null) {
                continue;
            }
            OrderOutcomeRecorded o = view.outcome(r.clientOrderId());
            TransactionView owner = r.ownerTxId() == null ? null : TransactionView.fold(journal.stream(r.ownerTxId()));
            OrderTrack t = owner == null ? null : owner.order(r.clientOrderId());
            List<Event> events = new ArrayList<>(owner == null ? List.of() : events(owner.events(), r.clientOrderId()));
            events.addAll(events(tx.events(), r.clientOrderId()));
            events.sort(java.util.Comparator.comparing(Event::at));
            orders.add(new Order(r.role(), r.clientOrderId(), r.brokerOrderId(), false, r.ownerTxId(),
                    r.spec() == null ? "" : r.spec().describe(), t == null ? null : t.state(),
                    t != null ? t.filledQuantity() : o == null ? null : o.filledQuantity(),
                    t == null ? null : t.filledAvgPrice(), o == null ? null : o.outcome(),
                    o == null ? null : o.code(), o == null ? null : o.message(), events));
        }
        List<DoubleFill> doubleFills = view.doubleFills().stream().map(OperationDocument::doubleFill).toList();
        return new OperationDocument(view.txId(), tx.started().accountId(), view.type(), view.state(),
                ended == null ? TransactionStatus.IN_PROGRESS : ended.status(), tx.started().correlationId(),
                tx.started().at(), ended == null ? null : ended.at(), ended == null ? null : ended.errorCode(),
                ended == null ? null : ended.errorMessage(), tx.resumes(),
                view.params() == null ? null : Request.of(view.params()), moves, links, orders, doubleFills,
                List.copyOf(rolledBackBy));
    }

    private static Move move(OperationStateChanged c) {
        return new Move(c.from(), c.to(), c.reason(), c.at());
    }

    private static DoubleFill doubleFill(DoubleFillDetected d) {
        return new DoubleFill(d.link(), d.symbol().value(), d.excess(), d.flattenOrderId(), d.at());
    }

    /** The events of one order in {@code events}: its own lifecycle, cancels, and the outcome recorded for it. */
    static List<Event> events(List<TransactionEvent> events, String clientOrderId) {
        List<Event> out = new ArrayList<>();
        for (TransactionEvent e : events) {
            if (e instanceof OrderEvent o && o.clientOrderId().equals(clientOrderId)) {
                out.add(new Event(e.at(), e.getClass().getSimpleName(), detail(o)));
            } else if (e instanceof OrderOutcomeRecorded r && r.clientOrderId().equals(clientOrderId)) {
                out.add(new Event(e.at(), "OrderOutcomeRecorded", r.outcome() + (r.code() == null ? "" : " "
                        + r.code()) + (r.message() == null ? "" : ": " + r.message())));
            }
        }
        return out;
    }

    private static String detail(OrderEvent event) {
        return switch (event) {
            case OrderIntentRecorded i -> "intent " + i.leg() + ": " + i.spec().describe();
            case OrderAttemptFailed a -> "submit attempt " + a.attempt() + " failed " + a.code() + " ("
                    + a.delivery() + ")" + (a.message() == null ? "" : ": " + a.message());
            case OrderLookedUp l -> "lookup " + l.outcome() + (l.afterGrace() ? " after the grace period" : "")
                    + (l.errorCode() == null ? "" : " " + l.errorCode());
            case OrderUpdated u -> u.state() + " at the broker as " + u.brokerOrderId() + ", filled "
                    + u.filledQuantity().stripTrailingZeros().toPlainString()
                    + (u.filledAvgPrice() == null ? "" : " @ " + u.filledAvgPrice().toPlainString());
            case OrderFailed f -> f.state() + " " + f.code() + (f.message() == null ? "" : ": " + f.message());
            case OrderCancelRequested c -> "cancel requested (attempt " + c.attempt() + ")"
                    + (c.reason() == null ? "" : ": " + c.reason());
            case OrderCancelFailed c -> "cancel attempt " + c.attempt() + " failed " + c.code() + " ("
                    + c.delivery() + ")" + (c.message() == null ? "" : ": " + c.message());
        };
    }

    void print(Output output) {
        output.line("Operation " + operationId + "  " + type + "  account " + account);
        output.line("Started  " + startedAt + (endedAt == null ? "" : "   ended " + endedAt)
                + (resumed > 0 ? "   resumed " + resumed + "x" : ""));
        output.line("State    " + state + (errorCode == null ? "" : " (" + errorCode + ")"));
        if (message != null) {
            output.line("Message  " + message);
        }
        if (request != null) {
            output.line("Request  " + request.describe());
        }
        if (!rolledBackBy.isEmpty()) {
            output.line("Undone by " + String.join(", ", rolledBackBy));
        }
        output.line("");
        Table m = new Table("AT", "FROM", "TO", "REASON");
        moves.forEach(x -> m.row(x.at(), x.from() == null ? "-" : x.from().name(), x.to().name(), x.reason()));
        output.line("State moves:");
        output.table(m);
        if (!links.isEmpty()) {
            output.line("");
            Table l = new Table("LINK", "TAKE-PROFIT", "STOP-LOSS", "HELD BY", "ENDED");
            links.forEach(x -> l.row(x.link(), x.takeProfit(), x.stopLoss(), x.heldByBroker() ? "broker" : "keel",
                    x.unlinkedAt() == null ? "live" : x.unlinkedAt() + " " + x.unlinkReason()));
            output.line("Links (one cancels the other):");
            output.table(l);
        }
        if (!orders.isEmpty()) {
            output.line("");
            output.line("Orders:");
            for (Order o : orders) {
                output.line("  " + o.leg() + "  " + o.clientOrderId() + "  " + o.what() + "  "
                        + (o.state() == null ? "-" : o.state().name()) + "  filled "
                        + (o.filledQty() == null ? "-" : o.filledQty().stripTrailingZeros().toPlainString())
                        + (o.outcome() == null ? "" : "  -> " + o.outcome())
                        + (o.errorCode() == null ? "" : "  " + o.errorCode())
                        + (o.placedByThisOperation() ? "" : "  (of " + (o.ownerOperation() == null ? "no journaled "
                        + "operation" : o.ownerOperation()) + ")"));
                o.events().forEach(e -> output.line("      " + e.at() + "  " + e.detail()));
            }
        }
        if (!doubleFills.isEmpty()) {
            output.line("");
            output.line("Double fills:");
            doubleFills.forEach(d -> output.line("  " + d.at() + "  " + d.link() + ": both legs filled, "
                    + d.excess().toPlainString() + " " + d.symbol() + " flattened by " + d.flattenOrderId()));
        }
    }
}
