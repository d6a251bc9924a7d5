package dev.keel.paper;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.OrderQuery;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.Money;
import dev.keel.core.model.OrderClass;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.OrderType;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TimeInForce;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The exchange's order rules: what it accepts, refuses, cancels and lets a client look up. */
final class OrderDesk {
    private final ExchangeState state;
    private final Matcher matcher;

    OrderDesk(ExchangeState state, Matcher matcher) {
        this.state = state;
        this.matcher = matcher;
    }

    /**
     * Accepts an order or refuses it as Alpaca would; an accepted order is matched at once if its fill mode allows.
     *
     * @param fillFault a firing {@code partial-fill} or {@code no-fill} rule for this order, or null
     */
    BrokerOrder submit(String accountId, String clientOrderId, OrderSpec spec, FaultRule fillFault, Instant now) {
        PaperAccount account = state.account(accountId);
        checkFree(account, clientOrderId);
        BigDecimal reservePrice = checkOrder(account, spec, now);
        checkAffordable(account, spec, reservePrice);
        PaperOrder order = matcher.create(account, clientOrderId, spec, fillFault, reservePrice, now, OrderClass.SIMPLE,
                null, null);
        matcher.tryMatch(order, now);
        return order.toBrokerOrder();
    }

    /**
     * Accepts a one-cancels-other exit pair: the take-profit limit carries {@code clientOrderId}, the stop-loss
     * {@code clientOrderId + ":sl"}; only the take-profit holds back shares or cash while both are live.
     */
    BrokerOrder submitOco(String accountId, String clientOrderId, OrderSpec takeProfit, OrderSpec stopLoss,
                          FaultRule fillFault, Instant now) {
        refuseWithoutOrderClasses(accountId, "oco");
        PaperAccount account = state.account(accountId);
        String stopId = clientOrderId + Broker.STOP_LOSS_SUFFIX;
        checkFree(account, clientOrderId);
        checkFree(account, stopId);
        if (takeProfit.type() != OrderType.LIMIT) {
            throw invalid(accountId, "an OCO take-profit leg must be a limit order, but was " + takeProfit.type());
        }
        if (stopLoss.type() != OrderType.STOP && stopLoss.type() != OrderType.STOP_LIMIT) {
            throw invalid(accountId, "an OCO stop-loss leg must be a stop or stop-limit order, but was "
                    + stopLoss.type());
        }
        if (!takeProfit.symbol().equals(stopLoss.symbol()) || takeProfit.side() != stopLoss.side()
                || takeProfit.quantity().compareTo(stopLoss.quantity()) != 0) {
            throw invalid(accountId, "OCO legs must trade the same symbol, side and quantity, but were "
                    + takeProfit.describe() + " and " + stopLoss.describe());
        }
        BigDecimal reservePrice = checkOrder(account, takeProfit, now);
        checkOrder(account, stopLoss, now);
        checkAffordable(account, takeProfit, reservePrice);
        PaperOrder target = matcher.create(account, clientOrderId, takeProfit, fillFault, reservePrice, now,
                OrderClass.OCO, null, null);
        PaperOrder stop = matcher.create(account, stopId, stopLoss, null, reservePrice, now, OrderClass.OCO,
                target.id, null);
        stop.pairWith(target.id);
        target.pairWith(stop.id);
        matcher.tryMatch(target, now);
        matcher.tryMatch(stop, now);
        return target.toBrokerOrder();
    }

    /**
     * Accepts a bracket: the entry now, its take-profit ({@code ":tp"}) and stop-loss ({@code ":sl"}) legs once it
     * fills, sized to the fill.
     */
    BrokerOrder submitBracket(String accountId, String clientOrderId, OrderSpec entry, BracketExits exits,
                              FaultRule fillFault, Instant now) {
        PaperAccount account = state.account(accountId);
        refuseWithoutOrderClasses(accountId, "bracket");
        checkFree(account, clientOrderId);
        checkFree(account, clientOrderId + Broker.TAKE_PROFIT_SUFFIX);
        checkFree(account, clientOrderId + Broker.STOP_LOSS_SUFFIX);
        if (entry.type() != OrderType.MARKET && entry.type() != OrderType.LIMIT || entry.byNotional()) {
            throw invalid(accountId, "a bracket entry must be a market or limit order by quantity, but was "
                    + entry.describe());
        }
        if (entry.timeInForce() == TimeInForce.IOC) {
            throw invalid(accountId, "a bracket must be a day or gtc order, but was " + entry.timeInForce());
        }
        boolean buy = entry.side() == Side.BUY;
        int order = exits.takeProfitLimit().compareTo(exits.stopLossStop());
        if (buy ? order <= 0 : order >= 0) {
            throw invalid(accountId, "a " + entry.side() + " bracket's take-profit limit must be "
                    + (buy ? "above" : "below") + " its stop-loss stop, but were " + exits.takeProfitLimit()
                    + " and " + exits.stopLossStop());
        }
        BigDecimal reservePrice = checkOrder(account, entry, now);
        checkAffordable(account, entry, reservePrice);
        PaperOrder placed = matcher.create(account, clientOrderId, entry, fillFault, reservePrice, now,
                OrderClass.BRACKET, null, exits);
        matcher.tryMatch(placed, now);
        return placed.toBrokerOrder();
    }

    private void refuseWithoutOrderClasses(String accountId, String orderClass) {
        if (!state.config.orderClasses()) {
            throw invalid(accountId, "order class not supported: " + orderClass);
        }
    }

    private static void checkFree(PaperAccount account, String clientOrderId) {
        if (account.clientIdTaken(clientOrderId)) {
            throw Refusals.duplicate(account.id, clientOrderId);
        }
    }

    /** Symbol, hours and shape; returns the price an order reserves at: the ask for a buy, the bid for a sell. */
    private BigDecimal checkOrder(PaperAccount account, OrderSpec spec, Instant now) {
        Quote quote = state.market.quote(spec.symbol(), now);
        if (quote == null) {
            throw Refusals.reject(RejectReason.SYMBOL_NOT_FOUND, account.id, "symbol not found: " + spec.symbol());
        }
        if (!state.config.marketHours().isOpen(now)) {
            throw Refusals.reject(RejectReason.MARKET_CLOSED, account.id, "market is closed");
        }
        checkShape(account.id, spec);
        return spec.side() == Side.BUY ? quote.ask() : quote.bid();
    }

    /** Fractional and notional rules (Alpaca: both only for day orders). */
    private void checkShape(String accountId, OrderSpec spec) {
        boolean stop = spec.type() == OrderType.STOP || spec.type() == OrderType.STOP_LIMIT;
        if (stop && spec.timeInForce() == TimeInForce.IOC) {
            throw invalid(accountId, "stop orders must be day or gtc orders, but was " + spec.timeInForce());
        }
        if (spec.byNotional()) {
            if (!state.config.notionalAllowed()) {
                throw invalid(accountId, "notional orders are not accepted");
            }
            if (spec.timeInForce() != TimeInForce.DAY) {
                throw invalid(accountId, "notional orders must be day orders");
            }
            return;
        }
        boolean fractional = spec.quantity().stripTrailingZeros().scale() > 0;
        if (fractional && !state.config.fractionalAllowed()) {
            throw invalid(accountId, "fractional quantities are not accepted: " + spec.quantity());
        }
        if (fractional && spec.timeInForce() != TimeInForce.DAY) {
            throw invalid(accountId, "fractional orders must be day orders");
        }
    }

    /** No margin: a buy must fit the buying power; no shorting: a sell must fit the shares not already promised. */
    private void checkAffordable(PaperAccount account, OrderSpec spec, BigDecimal reservePrice) {
        if (spec.side() == Side.BUY) {
            BigDecimal price = spec.limitPrice() != null ? spec.limitPrice()
                    : spec.stopPrice() != null ? spec.stopPrice().max(reservePrice) : reservePrice;
            BigDecimal cost = spec.byNotional() ? spec.notional() : Money.cash(spec.quantity().multiply(price));
            BigDecimal power = account.buyingPower(null);
            if (cost.compareTo(power) > 0) {
                throw Refusals.reject(RejectReason.INSUFFICIENT_BUYING_POWER, account.id,
                        "insufficient buying power: order costs " + cost + ", buying power is " + Money.cashFloor(power));
            }
            return;
        }
        BigDecimal shares = spec.byNotional()
                ? spec.notional().divide(reservePrice, Money.QTY_SCALE, RoundingMode.UP)
                : spec.quantity();
        if (!state.config.orderClasses()) {
            return; // a margin account that leaves exits to the client: see PaperConfig.orderClasses()
        }
        BigDecimal sellable = account.sellable(spec.symbol(), null);
        if (shares.compareTo(sellable) > 0) {
            throw invalid(account.id, "insufficient qty available for order: wants " + shares.toPlainString()
                    + " " + spec.symbol() + ", available " + sellable.toPlainString());
        }
    }

    private static RuntimeException invalid(String accountId, String message) {
        return Refusals.reject(RejectReason.INVALID_ORDER, accountId, message);
    }

    /**
     * Cancels a live order, and its OCO twin with it; a finished one comes back unchanged, so the caller sees it was
     * too late.
     */
    BrokerOrder cancel(String accountId, String brokerOrderId, Instant now) {
        PaperOrder order = state.account(accountId).byId(brokerOrderId);
        if (order == null) {
            throw Refusals.orderNotFound(accountId, brokerOrderId);
        }
        if (order.live()) {
            order.moveTo(OrderState.CANCELLED, now);
            state.changed(order);
            matcher.cancelTwin(order, now);
        }
        return order.toBrokerOrder();
    }

    /** Finds an order by client id once it is older than the visibility lag, as an eventually consistent broker. */
    Optional<BrokerOrder> lookup(String accountId, String clientOrderId, Instant now) {
        PaperOrder order = state.account(accountId).byClientId(clientOrderId);
        if (order == null || now.isBefore(order.createdAt.plus(state.config.lookupVisibilityLag()))) {
            return Optional.empty();
        }
        return Optional.of(order.toBrokerOrder());
    }

    List<BrokerOrder> openOrders(String accountId) {
        return state.account(accountId).orders().stream()
                .filter(PaperOrder::live)
                .map(PaperOrder::toBrokerOrder)
                .toList();
    }

    /** The account's orders the query selects, oldest first (creation order), at most its limit. */
    List<BrokerOrder> orders(String accountId, OrderQuery query) {
        return state.account(accountId).orders().stream()
                .filter(o -> switch (query.status()) {
                    case OPEN -> o.live();
                    case CLOSED -> !o.live();
                    case ALL -> true;
                })
                .filter(o -> query.after() == null || o.createdAt.isAfter(query.after()))
                .limit(query.limit())
                .map(PaperOrder::toBrokerOrder)
                .toList();
    }

    /** The symbol of the account's order with this broker id, for fault selectors; null if unknown. */
    Symbol symbolOfOrder(String accountId, String brokerOrderId) {
        return symbolOf(state.account(accountId).byId(brokerOrderId));
    }

    /** The symbol of the account's order with this client id, for fault selectors; null if unknown. */
    Symbol symbolOfClientOrder(String accountId, String clientOrderId) {
        return symbolOf(state.account(accountId).byClientId(clientOrderId));
    }

    private static Symbol symbolOf(PaperOrder order) {
        return order == null ? null : order.spec.symbol();
    }
}
