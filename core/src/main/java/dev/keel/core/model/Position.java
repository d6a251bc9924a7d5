package dev.keel.core.model;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A holding at the broker.
 *
 * @param symbol      the instrument
 * @param quantity    shares held, fractional allowed; positive (long only for now)
 * @param marketPrice the broker's current price for valuation
 */
public record Position(Symbol symbol, BigDecimal quantity, BigDecimal marketPrice) {
    public Position {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(marketPrice, "marketPrice");
    }

    public BigDecimal marketValue() {
        return Money.cash(quantity.multiply(marketPrice));
    }
}
