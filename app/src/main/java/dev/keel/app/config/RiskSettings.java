package dev.keel.app.config;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Limits a rebalance plan must keep; a plan beyond them is refused before anything is sent.
 *
 * @param maxTurnover sum of all order values as a share of the portfolio value, greater than 0 (1.00 = 100%)
 * @param maxOrder    largest single order value, greater than 0
 */
public record RiskSettings(BigDecimal maxTurnover, BigDecimal maxOrder) {
    /** The defaults: turnover 1.00, order 50000.00. */
    public static final RiskSettings DEFAULTS = new RiskSettings(new BigDecimal("1.00"), new BigDecimal("50000.00"));

    public RiskSettings {
        Objects.requireNonNull(maxTurnover, "maxTurnover");
        Objects.requireNonNull(maxOrder, "maxOrder");
        if (maxTurnover.signum() <= 0) {
            throw new IllegalArgumentException("maxTurnover must be greater than 0, but was " + maxTurnover.toPlainString());
        }
        if (maxOrder.signum() <= 0) {
            throw new IllegalArgumentException("maxOrder must be greater than 0, but was " + maxOrder.toPlainString());
        }
    }
}
