package dev.keel.core.model;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What to trade: a market order by notional (cash amount) or quantity, or a limit order by quantity.
 *
 * @param symbol      the instrument
 * @param side        buy or sell
 * @param type        market or limit
 * @param quantity    shares, fractional allowed; null for a notional order
 * @param notional    cash amount for a market order by value; null for an order by quantity
 * @param limitPrice  the limit price of a limit order; null otherwise
 * @param timeInForce how long the order rests; {@link TimeInForce#DAY} by default
 */
public record OrderSpec(Symbol symbol, Side side, OrderType type, BigDecimal quantity, BigDecimal notional,
                        BigDecimal limitPrice, TimeInForce timeInForce) {

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
        if (type == OrderType.LIMIT && (limitPrice == null || limitPrice.signum() <= 0)) {
            throw new IllegalArgumentException("a limit order needs a positive limitPrice, but was " + limitPrice);
        }
        if (type == OrderType.LIMIT && notional != null) {
            throw new IllegalArgumentException("a limit order is sized by quantity, not notional");
        }
        if (type == OrderType.MARKET && limitPrice != null) {
            throw new IllegalArgumentException("a market order has no limitPrice, but was " + limitPrice);
        }
    }

    public static OrderSpec marketNotional(Symbol symbol, Side side, BigDecimal notional) {
        return new OrderSpec(symbol, side, OrderType.MARKET, null, Money.cash(notional), null, TimeInForce.DAY);
    }

    public static OrderSpec marketQty(Symbol symbol, Side side, BigDecimal quantity) {
        return new OrderSpec(symbol, side, OrderType.MARKET, Money.qty(quantity), null, null, TimeInForce.DAY);
    }

    public static OrderSpec limit(Symbol symbol, Side side, BigDecimal quantity, BigDecimal limitPrice,
                                  TimeInForce timeInForce) {
        return new OrderSpec(symbol, side, OrderType.LIMIT, Money.qty(quantity), null, limitPrice, timeInForce);
    }

    public boolean byNotional() {
        return notional != null;
    }

    /** A short human description: {@code SELL $1,200.00 VTI} or {@code BUY 3.5 TLT @ 90.10}. */
    public String describe() {
        String size = byNotional() ? "$" + notional.toPlainString() : quantity.toPlainString();
        String price = type == OrderType.LIMIT ? " @ " + limitPrice.toPlainString() : "";
        return side + " " + size + " " + symbol + price;
    }
}
