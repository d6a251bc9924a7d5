package dev.keel.core.rebalance;

/**
 * Where an account's target weights come from when they are not in the configuration file: an allocation service.
 * A source answers a whole, validated allocation or throws; Keel never runs on half-read targets.
 */
public interface AllocationSource {
    /** Where the targets come from, for the plan and the journal, e.g. the service's URL. */
    String name();

    /**
     * The account's allocation now.
     *
     * @throws dev.keel.core.error.KeelException {@link dev.keel.core.error.ErrorCode#ALLOCATION_UNAVAILABLE} when
     *         the source could not be read, {@link dev.keel.core.error.ErrorCode#ALLOCATION_INVALID} when its
     *         answer is not a usable allocation
     */
    TargetAllocation fetch();
}
