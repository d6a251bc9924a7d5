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
import dev.keel.core.model.OrderType;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.Side;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * Changes a working order's quantity or prices by cancel/replace. The old order is referenced (role
 * {@code replace}), cancelled through its own transaction, and only once the broker confirms it ended is the
 * replacement (leg {@code replace}) placed, sized to the intended total minus what the old order filled. So a fill
 * that lands during the replace is accounted for, and the old and the new order are never working at once: together
 * they can never fill beyond the intended quantity.
 *
 * <p>The old order's result in the report: CANCELLED once the cancel is confirmed, REPLACED once the replacement is
 * at the broker; ALREADY_FILLED (the operation FAILED, nothing to modify); FAILED or UNKNOWN when the cancel could
 * not be confirmed, and then no replacement is sent (FAILED, or NEEDS_REVIEW when unknown). A replacement the broker
 * refuses leaves no order working: FAILED, and the notification says so.
 */
final class ModificationSaga implements OperationSaga {
    static final String LEG = "replace";

    private final OperationSupport support;
    private final Cancels cancels;
    /**
     * Set by {@link #validate}: whether the request enlarges a buy, which adds risk. {@link Operations} makes a saga
     * per request and asks {@link #addsRisk} after {@link #validate}; a resumed run never asks.
     */
    private boolean enlargesBuy;

    ModificationSaga(OperationSupport support) {
        this.support = support;
        this.cancels = new Cancels(support);
    }

    @Override
    public void validate(OperationParams params, AccountSnapshot account) {
        if (params.newQuantity() == null && params.newLimitPrice() == null && params.newStopPrice() == null) {
            throw new KeelException(ErrorCode.INVALID_ORDER, "at least one of newQuantity, newLimitPrice and "
                    + "newStopPrice is required, but all were null");
        }
        BrokerOrder old = working(params.clientOrderId()).orElseThrow(() -> new KeelException(
                ErrorCode.ORDER_NOT_FOUND, "clientOrderId " + params.clientOrderId() + " is not an open order at the "
                + "broker"));
        OrderSpec spec = old.spec();
        if (spec.type() == OrderType.MARKET || spec.byNotional()) {
            throw new KeelException(ErrorCode.INVALID_ORDER, "only a resting limit, stop or stop-limit order can be "
                    + "modified, but " + params.clientOrderId() + " is " + spec.describe());
        }
        if (params.newQuantity() != null && params.newQuantity().compareTo(old.filledQuantity()) <= 0) {
            throw new KeelException(ErrorCode.INVALID_ORDER, "newQuantity must exceed the "
                    + old.filledQuantity().toPlainString() + " already filled, but was " + params.newQuantity());
        }
        if (params.newLimitPrice() != null && spec.limitPrice() == null) {
            throw new KeelException(ErrorCode.INVALID_ORDER, "newLimitPrice given, but " + spec.describe()
                    + " has no limit price");
        }
        if (params.newStopPrice() != null && spec.stopPrice() == null) {
            throw new KeelException(ErrorCode.INVALID_ORDER, "newStopPrice given, but " + spec.describe()
                    + " has no stop price");
        }
        replacement(spec, params, BigDecimal.ZERO); // the prices must make a valid order
        enlargesBuy = spec.side() == Side.BUY && params.newQuantity() != null
                && params.newQuantity().compareTo(spec.quantity()) > 0;
    }

    @Override
    public List<PlannedOrder> planned(OperationParams params, AccountSnapshot account) {
        return working(params.clientOrderId()).map(o -> {
            OrderSpec next = replacement(o.spec(), params, o.filledQuantity());
            BigDecimal price = next.limitPrice() != null ? next.limitPrice()
                    : next.stopPrice() != null ? next.stopPrice() : BigDecimal.ZERO;
            return List.of(new PlannedOrder(LEG, next, Money.cash(next.quantity().multiply(price))));
        }).orElse(List.of());
    }

    /** An enlarged buy adds risk: then a frozen account refuses it and the books are checked first. */
    @Override
    public boolean addsRisk() {
        return enlargesBuy;
    }

    @Override
    public OperationOutcome run(TransactionLedger ledger) {
        OperationView view = support.view(ledger);
        String txId = ledger.context().txId();
        if (view.isTerminal()) {
            return OperationOutcome.of(view, ledger.context().accountId());
        }
        OperationParams params = view.params();
        String oldCid = params.clientOrderId();
        if (view.reference(oldCid) == null) {
            Optional<BrokerOrder> old;
            try {
                old = working(oldCid);
            } catch (BrokerException e) {
                return support.finish(ledger, OperationState.FAILED, e.code(), "not modified, nothing sent: could "
                        + "not read the open orders at the broker: " + e.getMessage(), null);
            }
            if (old.isEmpty()) {
                return support.finish(ledger, OperationState.FAILED, ErrorCode.ORDER_NOT_FOUND, "not modified, "
                        + "nothing sent: " + oldCid + " is no longer open at the broker", null);
            }
            support.move(ledger, OperationState.IN_PROGRESS, "replacing " + oldCid);
            support.reference(ledger, old.get(), cancels.owner(oldCid), LEG);
        }
        OrderReferenced ref = support.view(ledger).reference(oldCid);
        String newCid = ClientOrderIds.derive(txId, LEG);
        if (support.view(ledger).order(newCid) == null) {
            OrderOutcomeRecorded done = support.view(ledger).outcome(oldCid);
            if (done == null) {
                CancelResult r = cancels.cancel(ledger, ref, "replaced by modification " + txId);
                if (r.settled() && r.outcome() != OrderOutcome.ALREADY_FILLED) {
                    // confirmed ended: the old order is CANCELLED until its replacement is at the broker
                    r = new CancelResult(r.clientOrderId(), r.brokerOrderId(), OrderOutcome.CANCELLED, r.state(),
                            r.filledQuantity(), null, "cancelled to be replaced", r.attempts());
                }
                support.result(ledger, r);
                done = support.view(ledger).outcome(oldCid);
            }
            switch (done.outcome()) {
                case ALREADY_FILLED -> {
                    return support.finish(ledger, OperationState.FAILED, null, oldCid
                            + " filled before it could be modified: nothing replaced", null);
                }
                case UNKNOWN -> {
                    return support.finish(ledger, OperationState.NEEDS_REVIEW, ErrorCode.CANCEL_UNCONFIRMED,
                            "no replacement sent: the cancel of " + oldCid + " could not be confirmed; it may "
                                    + "still be working", null);
                }
                case FAILED -> {
                    return support.finish(ledger, OperationState.FAILED, done.code(), "not modified, no "
                            + "replacement sent: " + oldCid + " could not be cancelled and is still working: "
                            + done.message(), null);
                }
                default -> {
                    // CANCELLED (or REPLACED from a run that crashed before its replacement's intent): go on
                }
            }
            BigDecimal filled = done.filledQuantity() == null ? BigDecimal.ZERO : done.filledQuantity();
            BigDecimal intended = params.newQuantity() != null ? params.newQuantity() : ref.spec().quantity();
            if (intended.subtract(filled).signum() <= 0) {
                return support.finish(ledger, OperationState.COMPLETED, null, oldCid + " already filled the "
                        + "intended quantity (" + filled.toPlainString() + "): no replacement needed", null);
            }
        }
        OrderOutcomeRecorded done = support.view(ledger).outcome(oldCid);
        BigDecimal filled = done.filledQuantity() == null ? BigDecimal.ZERO : done.filledQuantity();
        OrderTrack placed = support.executor().place(ledger, LEG, replacement(ref.spec(), params, filled));
        return end(ledger, ref, placed, filled);
    }

    private OperationOutcome end(TransactionLedger ledger, OrderReferenced ref, OrderTrack placed,
                                 BigDecimal oldFilled) {
        String oldCid = ref.clientOrderId();
        OrderOutcomeRecorded done = support.view(ledger).outcome(oldCid);
        switch (placed.state()) {
            case ACCEPTED, PARTIALLY_FILLED, FILLED -> {
                if (done.outcome() != OrderOutcome.REPLACED) {
                    support.result(ledger, new CancelResult(oldCid, ref.brokerOrderId(), OrderOutcome.REPLACED,
                            OrderState.CANCELLED, oldFilled, null, "replaced by " + placed.clientOrderId(), 0));
                }
                return support.finish(ledger, OperationState.COMPLETED, null, oldCid + " (" + oldFilled
                        .toPlainString() + " filled) replaced by " + placed.clientOrderId() + ": "
                        + placed.spec().describe(), null);
            }
            case UNKNOWN, INTENDED -> {
                return support.finish(ledger, OperationState.NEEDS_REVIEW, ErrorCode.ORDER_OUTCOME_UNKNOWN,
                        oldCid + " is cancelled; whether its replacement " + placed.clientOrderId() + " reached the "
                                + "broker is unknown", null);
            }
            default -> {
                ErrorCode why = placed.lastError() == null ? ErrorCode.ORDER_REJECTED : placed.lastError();
                if (done.code() == null) {
                    support.result(ledger, new CancelResult(oldCid, ref.brokerOrderId(), OrderOutcome.CANCELLED,
                            OrderState.CANCELLED, oldFilled, why, "replacement refused: the order is no longer "
                            + "working", 0));
                }
                return support.finish(ledger, OperationState.FAILED, why, "the order is no longer working: "
                        + oldCid + " was cancelled and its replacement " + placed.clientOrderId() + " ("
                        + placed.spec().describe() + ") was refused: " + placed.lastMessage(), null);
            }
        }
    }

    /** The old order's spec with the new prices, sized to the intended total minus what already filled. */
    private static OrderSpec replacement(OrderSpec old, OperationParams params, BigDecimal filled) {
        BigDecimal intended = params.newQuantity() != null ? params.newQuantity() : old.quantity();
        BigDecimal q = intended.subtract(filled);
        return new OrderSpec(old.symbol(), old.side(), old.type(), Money.qty(q.signum() > 0 ? q : intended), null,
                params.newLimitPrice() != null ? params.newLimitPrice() : old.limitPrice(), old.timeInForce(),
                params.newStopPrice() != null ? params.newStopPrice() : old.stopPrice());
    }

    private Optional<BrokerOrder> working(String cid) {
        return cancels.open(null).stream().filter(o -> o.clientOrderId().equals(cid)).findFirst();
    }
}
