package dev.keel.core.ops;

import dev.keel.core.broker.BrokerException;
import dev.keel.core.execution.CancelResult;
import dev.keel.core.execution.OperationContext;
import dev.keel.core.execution.OrderTrack;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.OperationStateChanged;
import dev.keel.core.journal.OrderCancelRequested;
import dev.keel.core.journal.OrderOutcomeRecorded;
import dev.keel.core.journal.OrderReferenced;
import dev.keel.core.journal.TransactionEvent;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OrderOutcome;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.Symbol;
import java.util.ArrayList;
import java.util.List;

/**
 * The step close, bulk cancel and modification share: cancel a broker order this operation did not place. The order
 * is referenced in the operation's stream before it is cancelled; an order the journal tracks is cancelled through its
 * own transaction's ledger (its events go there), one it does not know (placed by hand) through the gateway, both
 * keeping law 3. The result lands in the operation's report; on resume an order with a result is not asked again.
 */
final class Cancels {
    private final OperationSupport support;

    Cancels(OperationSupport support) {
        this.support = support;
    }

    /**
     * The transaction that placed {@code clientOrderId}, or null when the journal does not track it. Ids are
     * {@code <txId>:<leg>}, and a broker-held leg may add a suffix ({@code <tx>:protect-1:sl}), so every prefix ending
     * before a colon is tried, longest first.
     */
    String owner(String clientOrderId) {
        for (int colon = clientOrderId.lastIndexOf(':'); colon > 0; colon = clientOrderId.lastIndexOf(':', colon - 1)) {
            String txId = clientOrderId.substring(0, colon);
            if (TransactionView.fold(support.journal().stream(txId)).order(clientOrderId) != null) {
                return txId;
            }
        }
        return null;
    }

    /** The broker's open (live) orders, of one symbol or of all when {@code symbol} is null. */
    List<BrokerOrder> open(Symbol symbol) {
        var gateway = support.executor().gateway();
        return gateway.read(gateway.broker()::openOrders).stream()
                .filter(o -> o.state().isLive() && (symbol == null || symbol.equals(o.spec().symbol())))
                .toList();
    }

    /**
     * Starts the operation: references every order in {@code orders} and moves PENDING to IN_PROGRESS, in one append,
     * so a resumed operation cancels exactly the set it began with.
     */
    void begin(TransactionLedger ledger, List<BrokerOrder> orders, String role) {
        OperationContext ctx = ledger.context();
        OperationView view = support.view(ledger);
        List<TransactionEvent> events = new ArrayList<>();
        var now = support.clock().instant();
        for (BrokerOrder o : orders) {
            if (view.reference(o.clientOrderId()) == null) {
                events.add(new OrderReferenced(ctx.txId(), ctx.accountId(), o.clientOrderId(), o.brokerOrderId(),
                        owner(o.clientOrderId()), o.spec(), role, now));
            }
        }
        if (view.state() == OperationState.PENDING) {
            events.add(new OperationStateChanged(ctx.txId(), ctx.accountId(), OperationState.PENDING,
                    OperationState.IN_PROGRESS, orders.size() + " order(s) to cancel", now));
        }
        ledger.recordAll(events);
    }

    /** Cancels every referenced order that has no result yet, recording each result. */
    void cancelReferenced(TransactionLedger ledger, String reason) {
        for (OrderReferenced r : support.view(ledger).references()) {
            if (support.view(ledger).outcome(r.clientOrderId()) == null) {
                support.result(ledger, cancel(ledger, r, reason));
            }
        }
    }

    /**
     * Cancels one referenced order and returns what it came to, without recording it. A second cancel of an order
     * this operation cancelled before a crash finds it ended; it is reported CANCELLED still.
     */
    CancelResult cancel(TransactionLedger ledger, OrderReferenced r, String reason) {
        String txId = ledger.context().txId();
        if (r.ownerTxId() != null) {
            TransactionLedger owner = support.ownerLedger(r.ownerTxId());
            OrderTrack t = owner.view().order(r.clientOrderId());
            if (t != null) {
                CancelResult result = support.executor().cancel(owner, r.clientOrderId(), reason);
                if (result.outcome() == OrderOutcome.ALREADY_DONE && result.state() == OrderState.CANCELLED
                        && cancelledBy(owner.view(), r.clientOrderId(), txId)) {
                    return new CancelResult(result.clientOrderId(), result.brokerOrderId(), OrderOutcome.CANCELLED,
                            result.state(), result.filledQuantity(), null, result.message(), result.attempts());
                }
                return result;
            }
        }
        BrokerOrder order = new BrokerOrder(r.brokerOrderId(), r.clientOrderId(), r.spec(), OrderState.ACCEPTED,
                java.math.BigDecimal.ZERO, null, null, null);
        try {
            return support.executor().cancelUntracked(order, reason);
        } catch (BrokerException e) {
            return new CancelResult(r.clientOrderId(), r.brokerOrderId(), OrderOutcome.UNKNOWN, null, null,
                    dev.keel.core.error.ErrorCode.CANCEL_UNCONFIRMED, e.getMessage(), 0);
        }
    }

    /** Whether a cancel request with {@code txId} in its reason was journaled for the order: it was ours. */
    private static boolean cancelledBy(TransactionView owner, String clientOrderId, String txId) {
        for (TransactionEvent e : owner.events()) {
            if (e instanceof OrderCancelRequested c && c.clientOrderId().equals(clientOrderId)
                    && c.reason() != null && c.reason().contains(txId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * How the referenced orders' results split, for the operation's end.
     *
     * @param failed    "cid CODE" of each cancel that failed: the order may still be working
     * @param unknown   client order ids whose cancel could not be confirmed either way
     * @param firstCode the code of the first failure, or null
     */
    record Tally(int cancelled, int alreadyFilled, int alreadyDone, List<String> failed, List<String> unknown,
                 dev.keel.core.error.ErrorCode firstCode) {
        static Tally of(OperationView view) {
            int cancelled = 0;
            int filled = 0;
            int done = 0;
            List<String> failed = new ArrayList<>();
            List<String> unknown = new ArrayList<>();
            dev.keel.core.error.ErrorCode first = null;
            for (OrderReferenced r : view.references()) {
                OrderOutcomeRecorded o = view.outcome(r.clientOrderId());
                OrderOutcome outcome = o == null ? OrderOutcome.UNKNOWN : o.outcome();
                switch (outcome) {
                    case CANCELLED, REPLACED -> cancelled++;
                    case ALREADY_FILLED -> filled++;
                    case ALREADY_DONE, CLOSED -> done++;
                    case FAILED -> failed.add(r.clientOrderId() + " " + o.code());
                    case UNKNOWN -> unknown.add(r.clientOrderId());
                }
                if ((outcome == OrderOutcome.FAILED || outcome == OrderOutcome.UNKNOWN) && first == null) {
                    first = o == null || o.code() == null ? dev.keel.core.error.ErrorCode.CANCEL_UNCONFIRMED
                            : o.code();
                }
            }
            return new Tally(cancelled, filled, done, failed, unknown, first);
        }

        int total() {
            return cancelled + alreadyFilled + alreadyDone + failed.size() + unknown.size();
        }

        String describe() {
            List<String> parts = new ArrayList<>();
            parts.add(cancelled + " cancelled");
            if (alreadyFilled > 0) {
                parts.add(alreadyFilled + " already filled");
            }
            if (alreadyDone > 0) {
                parts.add(alreadyDone + " already ended");
            }
            if (!failed.isEmpty()) {
                parts.add(failed.size() + " not cancelled, may still fill (" + String.join(", ", failed) + ")");
            }
            if (!unknown.isEmpty()) {
                parts.add(unknown.size() + " unconfirmed, may still fill (" + String.join(", ", unknown) + ")");
            }
            return String.join(", ", parts);
        }
    }
}
