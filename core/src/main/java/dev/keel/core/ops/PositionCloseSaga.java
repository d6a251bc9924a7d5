package dev.keel.core.ops;

import dev.keel.core.broker.BrokerException;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.execution.CancelResult;
import dev.keel.core.execution.ClientOrderIds;
import dev.keel.core.execution.OrderTrack;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.journal.OrderOutcomeRecorded;
import dev.keel.core.journal.OrderReferenced;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.Money;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OrderOutcome;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.Position;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.util.List;

/**
 * Closes (part of) a long position: cancels every open order on the symbol first (a resting sell holds shares back,
 * and a cancel may reveal a fill), then reads the position at the broker and sells {@code quantity}, or everything
 * held, at market (leg {@code close}). The sell is risk-reducing, so it is sent on a REDUCING or HALTED account too
 * ({@link dev.keel.core.execution.OrderExecutor#executeReducing}, law 9).
 *
 * <p>Ends COMPLETED when the sell filled fully and every cancel held; PARTIALLY_COMPLETED when part was sold or a
 * cancel failed; FAILED when nothing was sold; NEEDS_REVIEW when an order's outcome is unknown. A position already
 * flat ends COMPLETED, "nothing to close: no VTI held", and says so.
 */
final class PositionCloseSaga implements OperationSaga {
    static final String LEG = "close";

    private final OperationSupport support;
    private final Cancels cancels;

    PositionCloseSaga(OperationSupport support) {
        this.support = support;
        this.cancels = new Cancels(support);
    }

    @Override
    public void validate(OperationParams params, AccountSnapshot account) {
        if (params.symbol() == null) {
            throw new KeelException(ErrorCode.INVALID_ORDER, "symbol is required to close a position");
        }
        if (params.quantity() != null && params.quantity().signum() <= 0) {
            throw new KeelException(ErrorCode.INVALID_ORDER, "quantity must be positive, or omitted to close "
                    + "everything held, but was " + params.quantity());
        }
    }

    @Override
    public List<PlannedOrder> planned(OperationParams params, AccountSnapshot account) {
        BigDecimal held = account.quantity(params.symbol());
        BigDecimal q = params.quantity() == null ? held : params.quantity().min(held);
        if (q.signum() <= 0) {
            return List.of();
        }
        BigDecimal price = account.position(params.symbol()).map(Position::marketPrice).orElse(BigDecimal.ZERO);
        return List.of(new PlannedOrder(LEG, OrderSpec.marketQty(params.symbol(), Side.SELL, q),
                Money.cash(q.multiply(price))));
    }

    @Override
    public boolean addsRisk() {
        return false;
    }

    @Override
    public OperationOutcome run(TransactionLedger ledger) {
        OperationView view = support.view(ledger);
        if (view.isTerminal()) {
            return OperationOutcome.of(view, ledger.context().accountId());
        }
        Symbol symbol = view.params().symbol();
        if (view.state() == OperationState.PENDING) {
            List<BrokerOrder> open;
            try {
                open = cancels.open(symbol);
            } catch (BrokerException e) {
                return support.finish(ledger, OperationState.FAILED, e.code(), "nothing sold or cancelled: could "
                        + "not read the open orders at the broker: " + e.getMessage(), null);
            }
            cancels.begin(ledger, open, "cancel");
        }
        String reason = "position close " + ledger.context().txId();
        cancels.cancelReferenced(ledger, reason);
        String cid = ClientOrderIds.derive(ledger.context().txId(), LEG);
        OrderTrack close = support.view(ledger).order(cid);
        OrderSpec spec;
        if (close != null) {
            spec = close.spec();
        } else {
            BigDecimal held;
            try {
                var gateway = support.executor().gateway();
                held = gateway.read(gateway.broker()::positions).stream()
                        .filter(p -> p.symbol().equals(symbol)).map(Position::quantity)
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
            } catch (BrokerException e) {
                return end(ledger, null, "not sold: could not read the position at the broker: " + e.getMessage(),
                        e.code());
            }
            BigDecimal sellable = held.subtract(stillHeldBack(support.view(ledger)));
            BigDecimal wanted = view.params().quantity() == null ? sellable : view.params().quantity().min(sellable);
            if (wanted.signum() <= 0) {
                return end(ledger, null, held.signum() <= 0 ? "nothing held"
                        : "nothing sold: every share held is promised to an order that could not be cancelled", null);
            }
            spec = OrderSpec.marketQty(symbol, Side.SELL, wanted);
        }
        support.executor().executeReducing(ledger, LEG, spec, BigDecimal.ZERO);
        OrderTrack t = support.view(ledger).order(cid);
        if (support.view(ledger).outcome(cid) == null && t.state() != OrderState.UNKNOWN) {
            boolean sold = t.filledQuantity().signum() > 0;
            support.result(ledger, new CancelResult(cid, t.brokerOrderId(), sold ? OrderOutcome.CLOSED
                    : OrderOutcome.FAILED, t.state(), t.filledQuantity(), sold ? null : t.lastError(),
                    "sold " + t.filledQuantity().toPlainString() + " of " + spec.quantity().toPlainString()
                            + (t.filledAvgPrice() == null ? "" : " @ " + t.filledAvgPrice().toPlainString()), 0));
        }
        return end(ledger, t, null, null);
    }

    /** Shares of sell orders whose cancel failed or is unconfirmed: they may still sell them. */
    private static BigDecimal stillHeldBack(OperationView view) {
        BigDecimal back = BigDecimal.ZERO;
        for (OrderReferenced r : view.references()) {
            OrderOutcomeRecorded o = view.outcome(r.clientOrderId());
            boolean working = o == null || o.outcome() == OrderOutcome.FAILED || o.outcome() == OrderOutcome.UNKNOWN;
            if (working && r.spec() != null && r.spec().side() == Side.SELL && r.spec().quantity() != null) {
                BigDecimal filled = o == null || o.filledQuantity() == null ? BigDecimal.ZERO : o.filledQuantity();
                back = back.add(r.spec().quantity().subtract(filled).max(BigDecimal.ZERO));
            }
        }
        return back;
    }

    private OperationOutcome end(TransactionLedger ledger, OrderTrack close, String note, ErrorCode noteCode) {
        Cancels.Tally tally = Cancels.Tally.of(support.view(ledger));
        String cancelled = tally.total() == 0 ? "no open orders" : "orders: " + tally.describe();
        if (close == null) {
            String message = "nothing held".equals(note) ? "nothing to close: no "
                    + support.view(ledger).params().symbol() + " held; " + cancelled : note + "; " + cancelled;
            if (!tally.unknown().isEmpty()) {
                return support.finish(ledger, OperationState.NEEDS_REVIEW, ErrorCode.CANCEL_UNCONFIRMED, message,
                        null);
            }
            if (noteCode == null && "nothing held".equals(note) && tally.failed().isEmpty()) {
                return support.finish(ledger, OperationState.COMPLETED, null, message, null);
            }
            boolean someDone = tally.cancelled() > 0;
            return support.finish(ledger, someDone ? OperationState.PARTIALLY_COMPLETED : OperationState.FAILED,
                    noteCode != null ? noteCode : tally.firstCode() != null ? tally.firstCode()
                            : ErrorCode.ORDER_NOT_FILLED, message, null);
        }
        BigDecimal filled = close.filledQuantity();
        String sold = "sold " + filled.toPlainString() + " of " + close.spec().quantity().toPlainString() + " "
                + close.spec().symbol() + "; " + cancelled;
        if (close.state() == OrderState.UNKNOWN || !tally.unknown().isEmpty()) {
            return support.finish(ledger, OperationState.NEEDS_REVIEW, close.state() == OrderState.UNKNOWN
                    ? ErrorCode.ORDER_OUTCOME_UNKNOWN : ErrorCode.CANCEL_UNCONFIRMED, sold, null);
        }
        if (filled.signum() == 0) {
            return support.finish(ledger, OperationState.FAILED, close.lastError() == null
                    ? ErrorCode.ORDER_NOT_FILLED : close.lastError(), "nothing sold: " + close.lastMessage() + "; "
                    + cancelled, null);
        }
        if (close.state() == OrderState.FILLED && tally.failed().isEmpty()) {
            return support.finish(ledger, OperationState.COMPLETED, null, sold, null);
        }
        return support.finish(ledger, OperationState.PARTIALLY_COMPLETED, close.state() == OrderState.FILLED
                ? tally.firstCode() : ErrorCode.ORDER_NOT_FILLED, sold, null);
    }
}
