package dev.keel.paper;

import dev.keel.core.model.Money;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.OrderType;
import dev.keel.core.model.Quote;
import dev.keel.core.model.TimeInForce;
import dev.keel.paper.ExchangeOrderLogEntry.Fill;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * Fills orders and moves time: walk steps, delayed fills, resting limits that become marketable, day orders
 * expiring at the close. Market orders fill at the ask (buy) or bid (sell); so do marketable limits.
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

    /** The one matching attempt of an order, if it is due and marketable; see {@link PaperOrder}. */
    void tryMatch(PaperOrder order, Instant at) {
        if (!order.awaitingMatch(at) || !hours.isOpen(at)) {
            return;
        }
        Quote quote = state.market.quote(order.spec.symbol(), at);
        BigDecimal price = order.buy() ? quote.ask() : quote.bid();
        if (order.spec.type() == OrderType.LIMIT && !marketable(order, price)) {
            if (order.spec.timeInForce() == TimeInForce.IOC) {
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
    }

    private static boolean marketable(PaperOrder order, BigDecimal price) {
        int cmp = price.compareTo(order.spec.limitPrice());
        return order.buy() ? cmp <= 0 : cmp >= 0;
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
