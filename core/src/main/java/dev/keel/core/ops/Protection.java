package dev.keel.core.ops;

import dev.keel.core.execution.CancelResult;
import dev.keel.core.execution.ClientOrderIds;
import dev.keel.core.execution.OperationContext;
import dev.keel.core.execution.OrderExecutor;
import dev.keel.core.execution.OrderTrack;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.broker.Broker;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.OrdersLinked;
import dev.keel.core.journal.OrdersUnlinked;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.Money;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.Side;
import dev.keel.core.model.TimeInForce;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A long position's protective pair, shared by the bracket, OCO and modification sagas: a take-profit limit and a
 * stop-loss (stop or stop-limit) selling the same quantity, one cancelling the other. Pair {@code k} is the link
 * {@code protect-<k>}.
 * Where the broker holds OCO pairs, the pair is its OCO class (legs {@code protect-<k>} and {@code protect-<k>:sl});
 * elsewhere Keel emulates it with two plain orders ({@code protect-<k>-tp}, {@code protect-<k>-sl}) and the protection
 * watch cancels the twin. Either way both intents and the link are journaled in one append before anything is sent,
 * so a crash in between leaves a link that the resumed saga (and the watch) finds.
 */
final class Protection {
    /** Protective orders rest until filled or cancelled unless the request names a time in force. */
    static final TimeInForce DEFAULT_TIME_IN_FORCE = TimeInForce.GTC;

    private final OperationSupport support;

    Protection(OperationSupport support) {
        this.support = support;
    }

    static String linkName(int k) {
        return "protect-" + k;
    }

    /** The number of the next pair: one past every link made so far. */
    static int next(OperationView view) {
        return view.links().size() + 1;
    }

    /** The newest link that is still live, or null. */
    static OrdersLinked current(OperationView view) {
        List<OrdersLinked> live = view.liveLinks();
        return live.isEmpty() ? null : live.get(live.size() - 1);
    }

    /** The orders of pair 1 for {@code quantity} shares, after {@code first}: an operation's planned orders. */
    static List<PlannedOrder> planned(OperationSupport support, OperationParams p, BigDecimal quantity,
                                      PlannedOrder... first) {
        boolean held = support.executor().gateway().holdsOrderClasses();
        String name = linkName(1);
        List<PlannedOrder> orders = new ArrayList<>(List.of(first));
        orders.add(new PlannedOrder(held ? name : name + "-tp", takeProfit(p, quantity),
                Money.cash(quantity.multiply(p.targetPrice()))));
        orders.add(new PlannedOrder(held ? name + Broker.STOP_LOSS_SUFFIX : name + "-sl", stopLoss(p, quantity),
                Money.cash(quantity.multiply(p.stopPrice()))));
        return orders;
    }

    static OrderSpec takeProfit(OperationParams p, BigDecimal quantity) {
        return OrderSpec.limit(p.symbol(), Side.SELL, quantity, p.targetPrice(), timeInForce(p));
    }

    static OrderSpec stopLoss(OperationParams p, BigDecimal quantity) {
        return p.stopLimit() == null
                ? OrderSpec.stop(p.symbol(), Side.SELL, quantity, p.stopPrice(), timeInForce(p))
                : OrderSpec.stopLimit(p.symbol(), Side.SELL, quantity, p.stopPrice(), p.stopLimit(), timeInForce(p));
    }

    private static TimeInForce timeInForce(OperationParams p) {
        return p.timeInForce() == null ? DEFAULT_TIME_IN_FORCE : p.timeInForce();
    }

    /**
     * Journals pair {@code k} for {@code quantity} shares (intents and link in one append) unless it is journaled
     * already, then places (or resumes placing) its legs.
     */
    OrdersLinked place(TransactionLedger ledger, int k, OperationParams p, BigDecimal quantity) {
        return place(ledger, k, p, quantity, null);
    }

    /** As {@link #place(TransactionLedger, int, OperationParams, BigDecimal)}, giving up at {@code giveUpAt}. */
    OrdersLinked place(TransactionLedger ledger, int k, OperationParams p, BigDecimal quantity, Instant giveUpAt) {
        return place(ledger, k, takeProfit(p, quantity), stopLoss(p, quantity), giveUpAt);
    }

    /**
     * Journals pair {@code k} of these two legs (intents and link in one append) unless it is journaled already, then
     * places (or resumes placing) its legs. Once the link is journaled, the specs given are ignored: a resumed run
     * places what was journaled.
     */
    OrdersLinked place(TransactionLedger ledger, int k, OrderSpec takeProfit, OrderSpec stopLoss) {
        return place(ledger, k, takeProfit, stopLoss, null);
    }

    private OrdersLinked place(TransactionLedger ledger, int k, OrderSpec takeProfit, OrderSpec stopLoss,
                               Instant giveUpAt) {
        String name = linkName(k);
        OrdersLinked link = support.view(ledger).links().stream().filter(l -> l.link().equals(name)).findFirst()
                .orElse(null);
        if (link == null) {
            link = record(ledger, name, takeProfit, stopLoss);
        }
        ensure(ledger, link, giveUpAt);
        return link;
    }

    private OrdersLinked record(TransactionLedger ledger, String name, OrderSpec takeProfit, OrderSpec stopLoss) {
        OperationContext ctx = ledger.context();
        boolean held = support.executor().gateway().holdsOrderClasses();
        String tpLeg = held ? name : name + "-tp";
        String slLeg = held ? name + Broker.STOP_LOSS_SUFFIX : name + "-sl";
        String tpCid = ClientOrderIds.derive(ctx.txId(), tpLeg);
        String slCid = held ? tpCid + Broker.STOP_LOSS_SUFFIX : ClientOrderIds.derive(ctx.txId(), slLeg);
        var now = support.clock().instant();
        OrdersLinked link = new OrdersLinked(ctx.txId(), ctx.accountId(), name, tpCid, slCid, held, now);
        ledger.recordAll(List.of(
                new OrderIntentRecorded(ctx.txId(), ctx.accountId(), tpLeg, tpCid, takeProfit, now),
                new OrderIntentRecorded(ctx.txId(), ctx.accountId(), slLeg, slCid, stopLoss, now),
                link));
        return link;
    }

    /**
     * Places whatever of the pair is not at the broker yet, resuming UNKNOWN legs by lookup; does nothing (and calls
     * nothing) once both legs are resolved. An emulated pair's stop is not sent when its take-profit was not placed.
     */
    void ensure(TransactionLedger ledger, OrdersLinked link) {
        ensure(ledger, link, null);
    }

    /**
     * As {@link #ensure(TransactionLedger, OrdersLinked)}; a leg whose submit failed is not sent again once
     * {@code giveUpAt} has passed (the protection grace ran out), null for the retry policy alone.
     */
    void ensure(TransactionLedger ledger, OrdersLinked link, Instant giveUpAt) {
        OrderExecutor executor = support.executor();
        OperationView view = support.view(ledger);
        OrderTrack tp = view.order(link.takeProfitOrderId());
        OrderTrack sl = view.order(link.stopLossOrderId());
        if (link.heldByBroker()) {
            executor.placeOco(ledger, link.link(), tp.spec(), sl.spec(), giveUpAt);
            return;
        }
        tp = executor.placeReducing(ledger, tp.leg(), tp.spec(), giveUpAt);
        if (tp.state() == OrderState.REJECTED || tp.state() == OrderState.FAILED
                || tp.state() == OrderState.UNKNOWN) {
            return;
        }
        executor.placeReducing(ledger, sl.leg(), sl.spec(), giveUpAt);
    }

    /**
     * Cancels both legs (a leg never sent is withdrawn), records each result, and ends the link once nothing of it
     * can fill. Returns the results; a result not {@link CancelResult#settled() settled} leaves the link live.
     */
    List<CancelResult> cancel(TransactionLedger ledger, OrdersLinked link, String reason) {
        List<CancelResult> results = new ArrayList<>();
        for (String cid : List.of(link.takeProfitOrderId(), link.stopLossOrderId())) {
            CancelResult r = support.executor().cancel(ledger, cid, reason);
            support.result(ledger, r);
            results.add(r);
        }
        if (results.stream().allMatch(CancelResult::settled) && !support.view(ledger).isUnlinked(link.link())) {
            OperationContext ctx = ledger.context();
            ledger.record(new OrdersUnlinked(ctx.txId(), ctx.accountId(), link.link(), reason,
                    support.clock().instant()));
        }
        return results;
    }

    /** Both legs' tracks, take-profit first. */
    static List<OrderTrack> legs(OperationView view, OrdersLinked link) {
        return List.of(view.order(link.takeProfitOrderId()), view.order(link.stopLossOrderId()));
    }

    /** What every protective leg of the operation sold, over all its pairs. */
    static BigDecimal exitsFilled(OperationView view) {
        BigDecimal sold = BigDecimal.ZERO;
        for (OrdersLinked link : view.links()) {
            for (OrderTrack t : legs(view, link)) {
                sold = sold.add(t.filledQuantity());
            }
        }
        return sold;
    }

    /**
     * The shares the pair still protects: its size less what its legs sold while a leg may still fill (or be placed);
     * zero once both legs ended.
     */
    static BigDecimal working(OperationView view, OrdersLinked link) {
        List<OrderTrack> legs = legs(view, link);
        if (legs.stream().allMatch(t -> t.state().isTerminal())) {
            return BigDecimal.ZERO;
        }
        BigDecimal size = legs.get(0).spec().quantity();
        return size.subtract(legs.get(0).filledQuantity()).subtract(legs.get(1).filledQuantity()).max(BigDecimal.ZERO);
    }

    /** Whether a leg could not be placed (refused, or given up after retries). */
    static boolean failed(OrderTrack t) {
        return t.state() == OrderState.REJECTED || t.state() == OrderState.FAILED;
    }

    /** Whether a leg's fate is open after placing: UNKNOWN, or never confirmed at the broker. */
    static boolean unresolved(OrderTrack t) {
        return t.state() == OrderState.UNKNOWN || t.state() == OrderState.INTENDED;
    }
}
