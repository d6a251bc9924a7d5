package dev.keel.paper;

import dev.keel.core.broker.Broker;
import dev.keel.core.model.Money;
import dev.keel.core.model.OrderClass;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.OrderType;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Side;
import dev.keel.core.model.TimeInForce;
import dev.keel.paper.ExchangeOrderLogEntry.Fill;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

/**
 * Fills orders and moves time: walk steps, delayed fills, resting limits that become marketable, day orders
 * expiring at the close, stops triggering when the price crosses them, OCO twins cancelled when one fills, bracket
 * exits created when the entry fills. Market orders fill at the ask (buy) or bid (sell); so do marketable limits.
 */
final class Matcher {
    private final ExchangeState state;
    private final MarketHours hours;

    Matcher(ExchangeState state) {
        this.state = state;
        this.hours = state.config.marketHours();
    }

    /** Does everything due up to {@code now}, event by event in time order. */
    void advanceTo(Instant now) {
        for (Instant t = nextEvent(); t != null && !t.isAfter(now); t = nextEvent()) {
            state.processedUpTo = t;
            if (t.equals(state.nextStepAt)) {
                state.market.step();
                state.tape.recordAll(state.market.mids(), t);
                state.nextStepAt = ExchangeState.stepAfter(state.config, t);
            }
            if (hours.isClose(t)) {
                expireAt(t);
            }
            matchAll(t);
        }
        if (now.isAfter(state.processedUpTo)) {
            state.processedUpTo = now;
            matchAll(now);
        }
    }

    private Instant nextEvent() {
        Instant after = state.processedUpTo;
        Instant next = state.nextStepAt;
        boolean anyLive = false;
        boolean anyAwaiting = false;
        for (PaperOrder o : state.live()) {
            anyLive = true;
            if (!o.matched() && o.fraction.signum() > 0) {
                anyAwaiting = true;
                if (o.eligibleAt.isAfter(after)) {
                    next = earliest(next, o.eligibleAt);
                }
            }
        }
        if (anyLive) {
            next = earliest(next, hours.nextCloseAfter(after));
        }
        if (anyAwaiting && !hours.isOpen(after)) {
            next = earliest(next, hours.nextOpen(after));
        }
        return next;
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    /** Tries every live order, oldest first. */
    void matchAll(Instant at) {
        if (!hours.isOpen(at)) {
            return;
        }
        for (PaperOrder o : state.live()) {
            tryMatch(o, at);
        }
    }

    /** Creates and registers a new order, with the symbol's fill mode unless a fill fault overrides it. */
    PaperOrder create(PaperAccount account, String clientOrderId, OrderSpec spec, FaultRule fillFault,
                      BigDecimal reservePrice, Instant now, OrderClass orderClass, String parentId,
                      BracketExits exits) {
        FillMode mode = state.config.fillMode(spec.symbol());
        BigDecimal fraction = mode instanceof FillMode.Partial p ? p.fraction() : BigDecimal.ONE;
        Instant eligibleAt = mode instanceof FillMode.Delayed d ? now.plus(d.delay()) : now;
        if (fillFault != null) {
            fraction = fillFault.kind() == FaultKind.NO_FILL ? BigDecimal.ZERO : fillFault.fraction();
        }
        PaperOrder order = new PaperOrder(state.orders().size() + 1L, account.nextOrderId(), clientOrderId,
                account.id, spec, fraction, eligibleAt, reservePrice, now, OrderState.ACCEPTED, false, List.of(), now,
                orderClass, parentId, null, exits, false);
        order.markNew();
        state.register(order);
        return order;
    }

    /** The one matching attempt of an order, if it is due, triggered and marketable; see {@link PaperOrder}. */
    void tryMatch(PaperOrder order, Instant at) {
        if (!order.awaitingMatch(at) || !hours.isOpen(at)) {
            return;
        }
        Quote quote = state.market.quote(order.spec.symbol(), at);
        BigDecimal price = order.buy() ? quote.ask() : quote.bid();
        if (!order.active()) {
            int cmp = price.compareTo(order.spec.stopPrice());
            if (order.buy() ? cmp < 0 : cmp > 0) {
                return;
            }
            order.trigger(at);
        }
        OrderSpec trading = order.trading();
        if (trading.type() == OrderType.LIMIT && !marketable(trading, order.buy(), price)) {
            if (trading.timeInForce() == TimeInForce.IOC) {
                move(order, OrderState.CANCELLED, at);
            }
            return;
        }
        BigDecimal wanted = order.spec.byNotional()
                ? order.spec.notional().multiply(order.fraction).divide(price, Money.QTY_SCALE, RoundingMode.DOWN)
                : order.spec.quantity().multiply(order.fraction);
        wanted = Money.qty(wanted);
        PaperAccount account = state.account(order.accountId);
        // the exchange never lends: a buy whose price rose past the free cash fills what the cash covers
        BigDecimal cap = order.buy()
                ? account.buyingPower(order).max(BigDecimal.ZERO).divide(price, Money.QTY_SCALE, RoundingMode.DOWN)
                : !state.config.orderClasses() ? wanted
                : account.sellable(order.spec.symbol(), order).max(BigDecimal.ZERO);
        boolean capped = wanted.compareTo(cap) > 0;
        BigDecimal quantity = Money.qty(capped ? cap : wanted);
        order.markMatched(at);
        if (quantity.signum() > 0) {
            account.settle(order.buy(), order.spec.symbol(), quantity, Money.cash(quantity.multiply(price)));
            order.fill(new Fill(quantity, price, at));
            boolean complete = !capped && order.fraction.compareTo(BigDecimal.ONE) == 0;
            move(order, complete ? OrderState.FILLED : OrderState.PARTIALLY_FILLED, at);
        }
        if (order.live() && (capped || quantity.signum() == 0 || order.spec.timeInForce() == TimeInForce.IOC)) {
            move(order, OrderState.CANCELLED, at);
        }
        if (quantity.signum() > 0) {
            cancelTwin(order, at);
            openExits(order, at);
        }
    }

    private static boolean marketable(OrderSpec trading, boolean buy, BigDecimal price) {
        int cmp = price.compareTo(trading.limitPrice());
        return buy ? cmp <= 0 : cmp >= 0;
    }

    /** One OCO member filled, even partly, or was cancelled: the exchange cancels the other in the same step. */
    void cancelTwin(PaperOrder order, Instant at) {
        PaperOrder twin = order.twinId() == null ? null : state.account(order.accountId).byId(order.twinId());
        if (twin != null && twin.live()) {
            move(twin, OrderState.CANCELLED, at);
        }
    }

    /** A bracket entry filled: its take-profit and stop-loss legs start, sized to the fill, one cancelling other. */
    private void openExits(PaperOrder entry, Instant at) {
        if (entry.exits == null || !entry.legIds().isEmpty()) {
            return;
        }
        PaperAccount account = state.account(entry.accountId);
        BracketExits exits = entry.exits;
        Side side = entry.buy() ? Side.SELL : Side.BUY;
        BigDecimal quantity = entry.filledQuantity();
        TimeInForce tif = entry.spec.timeInForce();
        OrderSpec target = OrderSpec.limit(entry.spec.symbol(), side, quantity, exits.takeProfitLimit(), tif);
        OrderSpec stop = exits.stopLossLimit() == null
                ? OrderSpec.stop(entry.spec.symbol(), side, quantity, exits.stopLossStop(), tif)
                : OrderSpec.stopLimit(entry.spec.symbol(), side, quantity, exits.stopLossStop(), exits.stopLossLimit(),
                        tif);
        Quote quote = state.market.quote(entry.spec.symbol(), at);
        BigDecimal reservePrice = side == Side.BUY ? quote.ask() : quote.bid();
        PaperOrder targetLeg = create(account, entry.clientOrderId + Broker.TAKE_PROFIT_SUFFIX, target, null,
                reservePrice, at, OrderClass.BRACKET, entry.id, null);
        PaperOrder stopLeg = create(account, entry.clientOrderId + Broker.STOP_LOSS_SUFFIX, stop, null, reservePrice,
                at, OrderClass.BRACKET, entry.id, null);
        targetLeg.pairWith(stopLeg.id);
        stopLeg.pairWith(targetLeg.id);
        tryMatch(targetLeg, at);
        tryMatch(stopLeg, at);
    }

    /** At the session close every live order that is not good-till-cancelled expires. */
    private void expireAt(Instant close) {
        for (PaperOrder o : state.live()) {
            if (o.spec.timeInForce() != TimeInForce.GTC) {
                move(o, OrderState.EXPIRED, close);
            }
        }
    }

    private void move(PaperOrder order, OrderState next, Instant at) {
        order.moveTo(next, at);
        state.changed(order);
    }
}
