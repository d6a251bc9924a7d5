package dev.keel.core.rebalance;

import dev.keel.core.risk.RiskLimits;
import java.util.Objects;

/**
 * An account Keel keeps on target.
 *
 * @param accountId  the account
 * @param target     weights, drift threshold, minimum trade, cash buffer; null when {@code allocation} gives them
 * @param risk       limits checked before anything is sent
 * @param allocation where the targets are fetched from before each run, or null when {@code target} is fixed
 */
public record RebalanceAccount(String accountId, TargetAllocation target, RiskLimits risk,
                               AllocationSource allocation) {
    /** What the plan and the journal call targets from the configuration file. */
    public static final String CONFIGURED = "config";

    public RebalanceAccount {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(risk, "risk");
        if ((target == null) == (allocation == null)) {
            throw new IllegalArgumentException("account " + accountId + " needs exactly one of target and allocation,"
                    + " but had " + (target == null ? "neither" : "both"));
        }
    }

    /** An account whose targets are fixed. */
    public RebalanceAccount(String accountId, TargetAllocation target, RiskLimits risk) {
        this(accountId, Objects.requireNonNull(target, "target"), risk, null);
    }

    /** Where the targets come from: {@value #CONFIGURED}, or the allocation source's name. */
    public String targetSource() {
        return allocation == null ? CONFIGURED : allocation.name();
    }

    /**
     * The targets for one run: the fixed ones, or a whole allocation fetched now (the fetch throws
     * ALLOCATION_UNAVAILABLE or ALLOCATION_INVALID rather than answer part of one).
     */
    public TargetAllocation currentTarget() {
        return allocation == null ? target : allocation.fetch();
    }
}
