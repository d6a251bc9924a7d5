package dev.keel.paper;

import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.Money;
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
        if (account.byClientId(clientOrderId) != null) {
            throw Refusals.duplicate(accountId, clientOrderId);
        }
        Quote quote = state.market.quote(spec.symbol(), now);
        if (quote == null) {
            throw Refusals.reject(RejectReason.SYMBOL_NOT_FOUND, accountId, "symbol not found: " + spec.symbol());
        }
        if (!state.config.marketHours().isOpen(now)) {
            throw Refusals.reject(RejectReason.MARKET_CLOSED, accountId, "market is closed");
        }
        checkShape(accountId, spec);
        BigDecimal reservePrice = spec.side() == Side.BUY ? quote.ask() : quote.bid();
        checkAffordable(account, spec, reservePrice);

        FillMode mode = state.config.fillMode(spec.symbol());
        BigDecimal fraction = mode instanceof FillMode.Partial p ? p.fraction() : BigDecimal.ONE;
        Instant eligibleAt = mode instanceof FillMode.Delayed d ? now.plus(d.delay()) : now;
        if (fillFault != null) {
            fraction = fillFault.kind() == FaultKind.NO_FILL ? BigDecimal.ZERO : fillFault.fraction();
        }
        PaperOrder order = new PaperOrder(state.orders().size() + 1L, account.nextOrderId(), clientOrderId,
                accountId, spec, fraction, eligibleAt, reservePrice, now, OrderState.ACCEPTED, false, List.of(), now);
        order.markNew();
        state.register(order);
        matcher.tryMatch(order, now);
        return order.toBrokerOrder();
    }

    /** Fractional and notional rules (Alpaca: both only for day orders). */
    private void checkShape(String accountId, OrderSpec spec) {
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
            BigDecimal price = spec.type() == OrderType.LIMIT ? spec.limitPrice() : reservePrice;
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
        BigDecimal sellable = account.sellable(spec.symbol(), null);
        if (shares.compareTo(sellable) > 0) {
            throw invalid(account.id, "insufficient qty available for order: wants " + shares.toPlainString()
                    + " " + spec.symbol() + ", available " + sellable.toPlainString());
        }
    }

    private static RuntimeException invalid(String accountId, String message) {
        return Refusals.reject(RejectReason.INVALID_ORDER, accountId, message);
    }

    /** Cancels a live order; a finished one comes back unchanged, so the caller sees it was too late. */
    BrokerOrder cancel(String accountId, String brokerOrderId, Instant now) {
        PaperOrder order = state.account(accountId).byId(brokerOrderId);
        if (order == null) {
            throw Refusals.orderNotFound(accountId, brokerOrderId);
        }
        if (order.live()) {
            order.moveTo(OrderState.CANCELLED, now);
            state.changed(order);
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
