package dev.keel.core.risk;

import dev.keel.core.error.ErrorCode;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * One limit a plan breaks.
 *
 * @param code  always {@link ErrorCode#RISK_LIMIT_EXCEEDED}
 * @param limit the limit's name: {@code maxTurnover} or {@code maxOrder}
 * @param bound the limit's value
 * @param value the plan's value that exceeds it
 * @param leg   the order's leg for a per-order limit, or null for a plan-wide one
 */
public record RiskViolation(ErrorCode code, String limit, BigDecimal bound, BigDecimal value, String leg) {
    public RiskViolation {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(bound, "bound");
        Objects.requireNonNull(value, "value");
    }

    /** {@code maxOrder 50000.00 exceeded by buy-TLT: 61000.00}. */
    public String message() {
        return limit + " " + bound.toPlainString() + " exceeded" + (leg == null ? "" : " by " + leg) + ": "
                + value.toPlainString();
    }
}
