package dev.keel.core.risk;

import dev.keel.core.model.Money;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * Limits a plan must keep before anything is sent.
 *
 * @param maxTurnover the most a plan may trade, as a fraction of equity (sum of |trade| / equity)
 * @param maxOrder    the largest single order, in dollars
 */
public record RiskLimits(BigDecimal maxTurnover, BigDecimal maxOrder) {
    /** The default maximum turnover: 1.00, i.e. trading 100% of equity. */
    public static final BigDecimal DEFAULT_MAX_TURNOVER = new BigDecimal("1.00");
    /** The default maximum single order: $50,000.00. */
    public static final BigDecimal DEFAULT_MAX_ORDER = new BigDecimal("50000.00");
    /** The defaults. */
    public static final RiskLimits DEFAULTS = builder().build();

    public RiskLimits {
        Objects.requireNonNull(maxTurnover, "maxTurnover");
        Objects.requireNonNull(maxOrder, "maxOrder");
        if (maxTurnover.signum() <= 0) {
            throw new IllegalArgumentException(
                    "maxTurnover must be greater than 0, but was " + maxTurnover.toPlainString());
        }
        if (maxOrder.signum() <= 0) {
            throw new IllegalArgumentException("maxOrder must be greater than 0, but was " + maxOrder.toPlainString());
        }
        maxOrder = Money.cash(maxOrder);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link RiskLimits}; the defaults are the {@code DEFAULT_*} constants. */
    public static final class Builder {
        private BigDecimal maxTurnover = DEFAULT_MAX_TURNOVER;
        private BigDecimal maxOrder = DEFAULT_MAX_ORDER;

        private Builder() {
        }

        public Builder maxTurnover(BigDecimal maxTurnover) {
            this.maxTurnover = maxTurnover;
            return this;
        }

        public Builder maxOrder(BigDecimal maxOrder) {
            this.maxOrder = maxOrder;
            return this;
        }

        public RiskLimits build() {
            return new RiskLimits(maxTurnover, maxOrder);
        }
    }
}
