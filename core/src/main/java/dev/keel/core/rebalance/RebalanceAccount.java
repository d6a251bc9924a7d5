package dev.keel.core.rebalance;

import dev.keel.core.risk.RiskLimits;
import java.util.Objects;

/**
 * An account Keel keeps on target.
 *
 * @param accountId the account
 * @param target    weights, drift threshold, minimum trade, cash buffer
 * @param risk      limits checked before anything is sent
 */
public record RebalanceAccount(String accountId, TargetAllocation target, RiskLimits risk) {
    public RebalanceAccount {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(risk, "risk");
    }
}
