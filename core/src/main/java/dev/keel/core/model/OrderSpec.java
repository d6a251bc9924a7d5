package dev.keel.core.model;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What to trade: a market order by notional (cash amount) or quantity, or a limit, stop or stop-limit order by
 * quantity.
 *
 * @param symbol      the instrument
 * @param side        buy or sell
 * @param type        market, limit, stop or stop-limit
 * @param quantity    shares, fractional allowed; null for a notional order
 * @param notional    cash amount for a market order by value; null for an order by quantity
 * @param limitPrice  the limit price of a limit or stop-limit order; null otherwise
 * @param timeInForce how long the order rests; {@link TimeInForce#DAY} by default
 * @param stopPrice   the price whose crossing triggers a stop or stop-limit order; null otherwise
 */
public record OrderSpec(Symbol symbol, Side side, OrderType type, BigDecimal quantity, BigDecimal notional,
                        BigDecimal limitPrice, TimeInForce timeInForce, BigDecimal stopPrice) {

    public OrderSpec {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timeInForce, "timeInForce");
        if ((quantity == null) == (notional == null)) {
            throw new IllegalArgumentException("exactly one of quantity and notional must be set, but was quantity="
                    + quantity + ", notional=" + notional);
        }
        if (quantity != null && quantity.signum() <= 0) {
            throw new IllegalArgumentException("quantity must be positive, but was " + quantity);
        }
        if (notional != null && notional.signum() <= 0) {
            throw new IllegalArgumentException("notional must be positive, but was " + notional);
        }
        boolean limited = type == OrderType.LIMIT || type == OrderType.STOP_LIMIT;
        boolean stopped = type == OrderType.STOP || type == OrderType.STOP_LIMIT;
        if (limited && (limitPrice == null || limitPrice.signum() <= 0)) {
            throw new IllegalArgumentException("a " + type + " order needs a positive limitPrice, but was "
                    + limitPrice);
        }
        if (!limited && limitPrice != null) {
            throw new IllegalArgumentException("a " + type + " order has no limitPrice, but was " + limitPrice);
        }
        if (stopped && (stopPrice == null || stopPrice.signum() <= 0)) {
            throw new IllegalArgumentException("a " + type + " order needs a positive stopPrice, but was "
                    + stopPrice);
        }
        if (!stopped && stopPrice != null) {
            throw new IllegalArgumentException("a " + type + " order has no stopPrice, but was " + stopPrice);
        }
        if (type != OrderType.MARKET && notional != null) {
            throw new IllegalArgumentException("a " + type + " order is sized by quantity, not notional");
        }
    }

    /** The spec without a stop price: the same order as it would stand once triggered. */
    public OrderSpec(Symbol symbol, Side side, OrderType type, BigDecimal quantity, BigDecimal notional,
                     BigDecimal limitPrice, TimeInForce timeInForce) {
        this(symbol, side, type, quantity, notional, limitPrice, timeInForce, null);
    }

    public static OrderSpec marketNotional(Symbol symbol, Side side, BigDecimal notional) {
        return new OrderSpec(symbol, side, OrderType.MARKET, null, Money.cash(notional), null, TimeInForce.DAY,
                null);
    }

    public static OrderSpec marketQty(Symbol symbol, Side side, BigDecimal quantity) {
        return new OrderSpec(symbol, side, OrderType.MARKET, Money.qty(quantity), null, null, TimeInForce.DAY,
                null);
    }

    public static OrderSpec limit(Symbol symbol, Side side, BigDecimal quantity, BigDecimal limitPrice,
                                  TimeInForce timeInForce) {
        return new OrderSpec(symbol, side, OrderType.LIMIT, Money.qty(quantity), null, limitPrice, timeInForce,
                null);
    }

    /**
     * A stop order: a market order once the price crosses {@code stopPrice} (buy: ask at or above, sell: bid at or
     * below).
     */
    public static OrderSpec stop(Symbol symbol, Side side, BigDecimal quantity, BigDecimal stopPrice,
                                 TimeInForce timeInForce) {
        return new OrderSpec(symbol, side, OrderType.STOP, Money.qty(quantity), null, null, timeInForce, stopPrice);
    }

    /** A stop-limit order: a limit order at {@code limitPrice} once the price crosses {@code stopPrice}. */
    public static OrderSpec stopLimit(Symbol symbol, Side side, BigDecimal quantity, BigDecimal stopPrice,
                                      BigDecimal limitPrice, TimeInForce timeInForce) {
        return new OrderSpec(symbol, side, OrderType.STOP_LIMIT, Money.qty(quantity), null, limitPrice, timeInForce,
                stopPrice);
    }

    /** The order a triggered stop becomes: market for a stop, limit for a stop-limit; others unchanged. */
    public OrderSpec triggered() {
        return switch (type) {
            case STOP -> new OrderSpec(symbol, side, OrderType.MARKET, quantity, null, null, timeInForce, null);
            case STOP_LIMIT -> new OrderSpec(symbol, side, OrderType.LIMIT, quantity, null, limitPrice, timeInForce,
                    null);
            case MARKET, LIMIT -> this;
        };
    }

    /** The same order for another quantity, e.g. a bracket leg sized to its entry's fill. */
    public OrderSpec withQuantity(BigDecimal newQuantity) {
        return new OrderSpec(symbol, side, type, Money.qty(newQuantity), null, limitPrice, timeInForce, stopPrice);
    }

    public boolean byNotional() {
        return notional != null;
    }

    /**
     * A short human description: {@code SELL $1,200.00 VTI}, {@code BUY 3.5 TLT @ 90.10},
     * {@code SELL 10 VTI stop 240} or {@code SELL 10 VTI stop 240 @ 239.50}.
     */
    public String describe() {
        String size = byNotional() ? "$" + notional.toPlainString() : quantity.toPlainString();
        String stop = stopPrice != null ? " stop " + stopPrice.toPlainString() : "";
        String price = limitPrice != null ? " @ " + limitPrice.toPlainString() : "";
        return side + " " + size + " " + symbol + stop + price;
    }
}
