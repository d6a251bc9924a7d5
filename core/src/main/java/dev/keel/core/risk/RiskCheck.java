package dev.keel.core.risk;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.rebalance.RebalancePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of checking a plan against {@link RiskLimits}: the violations, empty when the plan may proceed.
 *
 * @param violations turnover first, then orders in the plan's order
 */
public record RiskCheck(List<RiskViolation> violations) {
    public RiskCheck {
        violations = List.copyOf(violations);
    }

    public static RiskCheck check(RebalancePlan plan, RiskLimits limits) {
        List<RiskViolation> found = new ArrayList<>();
        if (plan.turnover().compareTo(limits.maxTurnover()) > 0) {
            found.add(new RiskViolation(ErrorCode.RISK_LIMIT_EXCEEDED, "maxTurnover", limits.maxTurnover(),
                    plan.turnover(), null));
        }
        for (PlannedOrder order : plan.orders()) {
            if (order.estimatedNotional().compareTo(limits.maxOrder()) > 0) {
                found.add(new RiskViolation(ErrorCode.RISK_LIMIT_EXCEEDED, "maxOrder", limits.maxOrder(),
                        order.estimatedNotional(), order.leg()));
            }
        }
        return new RiskCheck(found);
    }

    public boolean passed() {
        return violations.isEmpty();
    }

    /** Every violation, one per line; empty when passed. */
    public String summary() {
        return violations.stream().map(RiskViolation::message).collect(Collectors.joining("\n"));
    }

    /** The violations as one {@link ErrorCode#RISK_LIMIT_EXCEEDED} error, for a pre-flight that aborts. */
    public KeelException toException(ErrorContext context) {
        if (passed()) {
            throw new IllegalStateException("the plan passed its risk check; there is nothing to raise");
        }
        ErrorContext withDetails = context;
        for (RiskViolation v : violations) {
            withDetails = withDetails.with(v.leg() == null ? v.limit() : v.limit() + ":" + v.leg(),
                    v.value().toPlainString());
        }
        return new KeelException(ErrorCode.RISK_LIMIT_EXCEEDED, "risk limits exceeded: " + summary().replace("\n", "; "),
                withDetails, null);
    }
}
