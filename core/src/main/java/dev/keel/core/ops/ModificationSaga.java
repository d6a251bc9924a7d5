package dev.keel.core.ops;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.execution.CancelResult;
import dev.keel.core.execution.ClientOrderIds;
import dev.keel.core.execution.OrderTrack;
import dev.keel.core.execution.OperationContext;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.OperationStateChanged;
import dev.keel.core.journal.OrderOutcomeRecorded;
import dev.keel.core.journal.OrderReferenced;
import dev.keel.core.journal.OrdersLinked;
import dev.keel.core.journal.OrdersUnlinked;
import dev.keel.core.journal.TransactionEvent;
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
import dev.keel.core.model.TradingState;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 *
 * <p><b>A leg of a live protective pair.</b> When the order is the take-profit or the stop-loss of a live
 * {@link OrdersLinked} link of its owner transaction (a bracket's, an OCO pair's, or an earlier modification's), the
 * modification replaces the whole pair, so it is never orphaned (a broker-held pair's twin dies with the cancel) nor
 * left working unlinked beside the replacement (an emulated pair's twin could fill too). {@code newStopPrice} moves
 * the stop-loss's stop and {@code newLimitPrice} the take-profit's limit, whichever leg is named; the pair counts as
 * long as one of its legs is open (a broker's OCO cancels the stop when the target fills in part). Step by step, each
 * reading the journal first, so a resumed run does only what is left:
 * <ol>
 *   <li>both legs are referenced (role {@code replace}, take-profit first) with the move to IN_PROGRESS, in one
 *       append; from then on two references mean a pair;</li>
 *   <li>each leg is cancelled through its owner's ledger, take-profit first, each result recorded; a cancel that is not
 *       confirmed stops here with no new pair (FAILED, or NEEDS_REVIEW when unknown) and the link stays live;</li>
 *   <li>the old link is ended ({@link OrdersUnlinked}) in the OWNER's stream, both its legs being ended; not when the
 *       legs together sold more than the pair (a double fill): that link is left to the protection watch, which buys
 *       the excess back;</li>
 *   <li>a leg that FILLED completely sold the position: no new pair, FAILED (the leg's result ALREADY_FILLED);</li>
 *   <li>a new pair, link {@code protect-1} of this transaction, is placed by {@link Protection} (broker-held or
 *       emulated, as for a bracket) for the old pair's size (or {@code newQuantity}) less what the old legs sold, with
 *       everything not given (time in force, a stop-limit's limit) copied from the old legs;</li>
 *   <li>both new legs at the broker: the old legs' results become REPLACED, COMPLETED.</li>
 * </ol>
 * A new pair the broker refuses leaves the position unprotected: what was placed of it is cancelled (half a pair is
 * not protection Keel can vouch for) and the operation ends NEEDS_REVIEW with a CRITICAL notification naming the
 * symbol and the shares, the account only reducing risk. It does not roll back by placing the old pair again: the
 * refusal is most likely about the account (the shares, the symbol, the broker's state), which would refuse the old
 * pair too, and a second automatic placement would only hide the problem from the operator who must now decide.
 */
final class ModificationSaga implements OperationSaga {
    static final String LEG = "replace";
    /** The number of the pair a modification places: its link is {@code protect-1}. */
    static final int NEW_PAIR = 1;

    private final OperationSupport support;
    private final Cancels cancels;
    private final Protection protection;
    /**
     * Set by {@link #validate}: whether the request enlarges a buy, which adds risk. {@link Operations} makes a saga
     * per request and asks {@link #addsRisk} after {@link #validate}; a resumed run never asks.
     */
    private boolean enlargesBuy;

    ModificationSaga(OperationSupport support) {
        this.support = support;
        this.cancels = new Cancels(support);
        this.protection = new Protection(support);
    }

    @Override
    public void validate(OperationParams params, AccountSnapshot account) {
        if (params.newQuantity() == null && params.newLimitPrice() == null && params.newStopPrice() == null) {
            throw new KeelException(ErrorCode.INVALID_ORDER, "at least one of newQuantity, newLimitPrice and "
                    + "newStopPrice is required, but all were null");
        }
        Pair pair = livePair(params.clientOrderId());
        if (pair != null) {
            validatePair(params, account, pair);
            enlargesBuy = false;
            return;
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
        Pair pair = livePair(params.clientOrderId());
        if (pair != null) {
            BigDecimal q = intended(params, pair.size()).subtract(pair.filled());
            boolean held = support.executor().gateway().holdsOrderClasses();
            String name = Protection.linkName(NEW_PAIR);
            OrderSpec tp = takeProfit(pair.tp().spec(), params, q);
            OrderSpec sl = stopLoss(pair.sl().spec(), params, q);
            return List.of(
                    new PlannedOrder(held ? name : name + "-tp", tp, Money.cash(q.multiply(tp.limitPrice()))),
                    new PlannedOrder(held ? name + Broker.STOP_LOSS_SUFFIX : name + "-sl", sl,
                            Money.cash(q.multiply(sl.stopPrice()))));
        }
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
        if (view.references().isEmpty()) {
            Pair pair = livePair(oldCid);
            if (pair != null) {
                OperationOutcome refused = beginPair(ledger, pair);
                if (refused != null) {
                    return refused;
                }
            }
        }
        if (support.view(ledger).references().size() == 2) {
            return runPair(ledger);
        }
        if (support.view(ledger).reference(oldCid) == null) {
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

    /** A live protective link the order to modify is a leg of: its owner transaction and its legs as journaled. */
    private record Pair(String ownerTxId, OrdersLinked link, OrderTrack tp, OrderTrack sl) {
        BigDecimal size() {
            return tp.spec().quantity().max(sl.spec().quantity());
        }

        BigDecimal filled() {
            return tp.filledQuantity().add(sl.filledQuantity());
        }

        String describe() {
            return "link " + link.link() + " of " + ownerTxId;
        }
    }

    /** The live link of its owner transaction that {@code cid} is a leg of (both legs journaled), or null. */
    private Pair livePair(String cid) {
        String owner = cancels.owner(cid);
        if (owner == null) {
            return null;
        }
        OperationView op;
        try {
            op = OperationView.of(TransactionView.fold(support.journal().stream(owner)));
        } catch (IllegalStateException e) {
            throw new KeelException(ErrorCode.JOURNAL_CORRUPT, "not modified: the journal of " + owner + ", which "
                    + "placed " + cid + ", breaks the link rules: " + e.getMessage());
        }
        OrdersLinked link = op.liveLinkOf(cid);
        if (link == null) {
            return null;
        }
        OrderTrack tp = op.order(link.takeProfitOrderId());
        OrderTrack sl = op.order(link.stopLossOrderId());
        return tp == null || sl == null ? null : new Pair(owner, link, tp, sl);
    }

    private void validatePair(OperationParams params, AccountSnapshot account, Pair pair) {
        Set<String> open = new java.util.HashSet<>();
        for (BrokerOrder o : cancels.open(null)) {
            open.add(o.clientOrderId());
        }
        if (!open.contains(pair.tp().clientOrderId()) && !open.contains(pair.sl().clientOrderId())) {
            throw new KeelException(ErrorCode.ORDER_NOT_FOUND, "clientOrderId " + params.clientOrderId() + " is a leg"
                    + " of " + pair.describe() + ", but neither of its legs is open at the broker");
        }
        if (params.newQuantity() != null) {
            if (params.newQuantity().compareTo(pair.filled()) <= 0) {
                throw new KeelException(ErrorCode.INVALID_ORDER, "newQuantity must exceed the "
                        + pair.filled().toPlainString() + " the pair's legs already sold, but was "
                        + params.newQuantity().toPlainString());
            }
            BigDecimal held = account.quantity(pair.tp().spec().symbol());
            BigDecimal protect = params.newQuantity().subtract(pair.filled());
            if (protect.compareTo(held) > 0) {
                throw new KeelException(ErrorCode.INVALID_ORDER, "newQuantity " + params.newQuantity()
                        .toPlainString() + " would protect " + protect.toPlainString() + " "
                        + pair.tp().spec().symbol() + " with " + pair.filled().toPlainString() + " already sold, but "
                        + "only " + held.toPlainString() + " are held");
            }
        }
        BigDecimal q = intended(params, pair.size()).subtract(pair.filled());
        OrderSpec tp = takeProfit(pair.tp().spec(), params, q.signum() > 0 ? q : pair.size());
        OrderSpec sl = stopLoss(pair.sl().spec(), params, q.signum() > 0 ? q : pair.size());
        if (sl.stopPrice().compareTo(tp.limitPrice()) >= 0) {
            throw new KeelException(ErrorCode.INVALID_ORDER, "the stop-loss's stop must be below the take-profit's "
                    + "limit " + tp.limitPrice().toPlainString() + " for a long position, but was "
                    + sl.stopPrice().toPlainString() + " (" + pair.describe() + ")");
        }
        if (sl.limitPrice() != null && sl.limitPrice().compareTo(sl.stopPrice()) > 0) {
            throw new KeelException(ErrorCode.INVALID_ORDER, "the stop-loss's limit " + sl.limitPrice()
                    .toPlainString() + " (kept from " + pair.sl().clientOrderId() + ") must be at most its stop, but "
                    + "the stop would be " + sl.stopPrice().toPlainString());
        }
    }

    private static BigDecimal intended(OperationParams params, BigDecimal size) {
        return params.newQuantity() != null ? params.newQuantity() : size;
    }

    /** The old take-profit with {@code newLimitPrice} where given, for {@code quantity} shares. */
    private static OrderSpec takeProfit(OrderSpec old, OperationParams params, BigDecimal quantity) {
        return new OrderSpec(old.symbol(), old.side(), old.type(), Money.qty(quantity), null,
                params.newLimitPrice() != null ? params.newLimitPrice() : old.limitPrice(), old.timeInForce(),
                old.stopPrice());
    }

    /** The old stop-loss with {@code newStopPrice} where given (a stop-limit keeps its limit), for {@code quantity}. */
    private static OrderSpec stopLoss(OrderSpec old, OperationParams params, BigDecimal quantity) {
        return new OrderSpec(old.symbol(), old.side(), old.type(), Money.qty(quantity), null, old.limitPrice(),
                old.timeInForce(), params.newStopPrice() != null ? params.newStopPrice() : old.stopPrice());
    }

    /**
     * The pair's first step: both legs referenced, take-profit first, with the move to IN_PROGRESS, in one append.
     * Returns the ended operation when neither leg is open at the broker any more, null otherwise.
     */
    private OperationOutcome beginPair(TransactionLedger ledger, Pair pair) {
        List<BrokerOrder> open;
        try {
            open = cancels.open(null);
        } catch (BrokerException e) {
            return support.finish(ledger, OperationState.FAILED, e.code(), "not modified, nothing sent: could not "
                    + "read the open orders at the broker: " + e.getMessage(), null);
        }
        if (open.stream().noneMatch(o -> o.clientOrderId().equals(pair.tp().clientOrderId())
                || o.clientOrderId().equals(pair.sl().clientOrderId()))) {
            return support.finish(ledger, OperationState.FAILED, ErrorCode.ORDER_NOT_FOUND, "not modified, nothing "
                    + "sent: neither leg of " + pair.describe() + " is open at the broker any more", null);
        }
        OperationContext ctx = ledger.context();
        OperationView view = support.view(ledger);
        var now = support.clock().instant();
        List<TransactionEvent> events = new ArrayList<>();
        if (view.state() == OperationState.PENDING) {
            events.add(new OperationStateChanged(ctx.txId(), ctx.accountId(), OperationState.PENDING,
                    OperationState.IN_PROGRESS, "replacing the pair " + pair.describe(), now));
        }
        for (OrderTrack leg : List.of(pair.tp(), pair.sl())) {
            events.add(new OrderReferenced(ctx.txId(), ctx.accountId(), leg.clientOrderId(), leg.brokerOrderId(),
                    pair.ownerTxId(), leg.spec(), LEG, now));
        }
        ledger.recordAll(events);
        return null;
    }

    /** Replaces a live pair whose two legs are referenced: see the class comment. */
    private OperationOutcome runPair(TransactionLedger ledger) {
        OperationContext ctx = ledger.context();
        OperationParams params = support.view(ledger).params();
        List<OrderReferenced> refs = support.view(ledger).references();
        OrderReferenced tpRef = refs.get(0);
        OrderReferenced slRef = refs.get(1);
        String reason = "replaced by modification " + ctx.txId();
        for (OrderReferenced r : refs) {
            if (support.view(ledger).outcome(r.clientOrderId()) == null) {
                support.result(ledger, cancels.cancel(ledger, r, reason));
            }
            OrderOutcomeRecorded done = support.view(ledger).outcome(r.clientOrderId());
            String rest = r == slRef && support.view(ledger).outcome(tpRef.clientOrderId()).outcome()
                    != OrderOutcome.ALREADY_FILLED ? "; its take-profit " + tpRef.clientOrderId() + " is cancelled: "
                    + "the stop-loss alone protects the position" : "";
            if (done.outcome() == OrderOutcome.UNKNOWN) {
                return support.finish(ledger, OperationState.NEEDS_REVIEW, ErrorCode.CANCEL_UNCONFIRMED, "no new "
                        + "pair sent: the cancel of " + r.clientOrderId() + " could not be confirmed; it may still be "
                        + "working" + rest, null);
            }
            if (done.outcome() == OrderOutcome.FAILED) {
                return support.finish(ledger, OperationState.FAILED, done.code(), "not modified, no new pair sent: "
                        + r.clientOrderId() + " could not be cancelled and is still working: " + done.message()
                        + rest, null);
            }
        }
        OrderOutcomeRecorded tpDone = support.view(ledger).outcome(tpRef.clientOrderId());
        OrderOutcomeRecorded slDone = support.view(ledger).outcome(slRef.clientOrderId());
        BigDecimal size = tpRef.spec().quantity().max(slRef.spec().quantity());
        BigDecimal filled = filled(tpDone).add(filled(slDone));
        boolean doubleFill = filled.subtract(size).compareTo(LinkRules.TOLERANCE) > 0;
        TransactionLedger owner = support.ownerLedger(tpRef.ownerTxId());
        OrdersLinked old = link(OperationView.of(owner.view()), tpRef.clientOrderId(), slRef.clientOrderId());
        String oldName = old == null ? "the pair" : "link " + old.link() + " of " + tpRef.ownerTxId();
        if (old != null && !doubleFill && !OperationView.of(owner.view()).isUnlinked(old.link())) {
            owner.record(new OrdersUnlinked(owner.context().txId(), ctx.accountId(), old.link(), reason
                    + ": both legs ended", support.clock().instant()));
        }
        String symbol = tpRef.spec().symbol().toString();
        if (tpDone.outcome() == OrderOutcome.ALREADY_FILLED || slDone.outcome() == OrderOutcome.ALREADY_FILLED
                || doubleFill) {
            String which = tpDone.outcome() == OrderOutcome.ALREADY_FILLED ? tpRef.clientOrderId()
                    : slRef.clientOrderId();
            return support.finish(ledger, OperationState.FAILED, null, which + " filled before " + oldName
                    + " could be modified: its legs sold " + filled.toPlainString() + " " + symbol + " of the "
                    + size.toPlainString() + " it protected; no new pair placed" + (doubleFill ? "; both legs "
                    + "filled: the link stays live for the protection watch to buy the excess back" : ""), null);
        }
        BigDecimal quantity = intended(params, size).subtract(filled);
        if (quantity.signum() <= 0) {
            return support.finish(ledger, OperationState.COMPLETED, null, oldName + " already sold the intended "
                    + "quantity (" + filled.toPlainString() + "): no new pair needed", null);
        }
        OrdersLinked link = protection.place(ledger, NEW_PAIR, takeProfit(tpRef.spec(), params, quantity),
                stopLoss(slRef.spec(), params, quantity));
        OperationView view = support.view(ledger);
        for (OrderTrack leg : Protection.legs(view, link)) {
            if (Protection.failed(leg)) {
                return unprotected(ledger, link, leg, oldName);
            }
        }
        for (OrderTrack leg : Protection.legs(view, link)) {
            if (Protection.unresolved(leg)) {
                return support.finish(ledger, OperationState.NEEDS_REVIEW, ErrorCode.ORDER_OUTCOME_UNKNOWN, oldName
                        + " is cancelled; whether its replacement's leg " + leg.clientOrderId() + " reached the "
                        + "broker is unknown", null);
            }
        }
        for (OrderReferenced r : refs) {
            OrderOutcomeRecorded done = support.view(ledger).outcome(r.clientOrderId());
            if (done.outcome() == OrderOutcome.CANCELLED) {
                support.result(ledger, new CancelResult(r.clientOrderId(), r.brokerOrderId(), OrderOutcome.REPLACED,
                        OrderState.CANCELLED, done.filledQuantity(), null, "replaced by " + link.link() + " of "
                        + ctx.txId(), 0));
            }
        }
        List<OrderTrack> legs = Protection.legs(support.view(ledger), link);
        return support.finish(ledger, OperationState.COMPLETED, null, oldName + " (" + filled.toPlainString()
                + " sold) replaced by " + link.link() + ": take-profit " + legs.get(0).spec().describe()
                + ", stop-loss " + legs.get(1).spec().describe(), null);
    }

    /**
     * The new pair was refused: what was placed of it is cancelled (and the link ended once nothing of it can fill),
     * and the operation ends NEEDS_REVIEW with a CRITICAL notification; the account only reduces risk.
     */
    private OperationOutcome unprotected(TransactionLedger ledger, OrdersLinked link, OrderTrack refused,
                                         String oldName) {
        List<CancelResult> results = protection.cancel(ledger, link, "the new pair was refused: " + refused
                .clientOrderId() + " " + refused.state());
        List<String> stuck = results.stream().filter(r -> !r.settled()).map(CancelResult::clientOrderId).toList();
        OrderTrack tp = support.view(ledger).order(link.takeProfitOrderId());
        ErrorCode why = refused.lastError() == null ? ErrorCode.ORDER_REJECTED : refused.lastError();
        return support.finish(ledger, OperationState.NEEDS_REVIEW, why, "POSITION UNPROTECTED: "
                + tp.spec().quantity().toPlainString() + " " + tp.spec().symbol() + " has no stop-loss: " + oldName
                + " was cancelled and its replacement was refused (" + refused.clientOrderId() + " "
                + refused.state() + ": " + refused.lastMessage() + ")" + (stuck.isEmpty() ? "; nothing of the new "
                + "pair is working" : "; the cancel of " + String.join(", ", stuck) + " is not confirmed")
                + ". Place protection or close the position by hand", TradingState.REDUCING);
    }

    private static BigDecimal filled(OrderOutcomeRecorded o) {
        return o.filledQuantity() == null ? BigDecimal.ZERO : o.filledQuantity();
    }

    /** The link (live or ended) that joins these two orders in {@code owner}, or null. */
    private static OrdersLinked link(OperationView owner, String tpCid, String slCid) {
        for (OrdersLinked l : owner.links()) {
            if (l.takeProfitOrderId().equals(tpCid) && l.stopLossOrderId().equals(slCid)) {
                return l;
            }
        }
        return null;
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
