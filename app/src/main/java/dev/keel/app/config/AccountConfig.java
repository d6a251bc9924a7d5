package dev.keel.app.config;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * One account to rebalance.
 *
 * @param id             unique, 1-64 characters of a-z, 0-9, '-' and '_'
 * @param targets        target weight per symbol (upper case), each in (0, 1], summing to 1 within 0.0001, file order;
 *                       empty when {@code allocation} gives them
 * @param driftThreshold rebalance when a weight is off its target by more than this (absolute), in (0, 1)
 * @param minTrade       orders smaller than this cash amount are skipped
 * @param cashBuffer     share of the portfolio value kept in cash, in [0, 1)
 * @param allocation     the allocation service the targets come from, or null when they are in the file
 * @param schedule       when {@code keel serve} rebalances the account: a Unix cron expression (minute hour
 *                       day-of-month month day-of-week) in the exchange's time zone, or null for never
 */
public record AccountConfig(String id, Map<String, BigDecimal> targets, BigDecimal driftThreshold,
                            BigDecimal minTrade, BigDecimal cashBuffer, AllocationSettings allocation,
                            String schedule) {
    /** Default drift threshold: 0.05. */
    public static final BigDecimal DEFAULT_DRIFT_THRESHOLD = new BigDecimal("0.05");
    /** Default minimum trade: 1.00. */
    public static final BigDecimal DEFAULT_MIN_TRADE = new BigDecimal("1.00");
    /** Default cash buffer: 0.01. */
    public static final BigDecimal DEFAULT_CASH_BUFFER = new BigDecimal("0.01");
    /** How far the target weights may sum from 1: 0.0001. */
    public static final BigDecimal WEIGHT_TOLERANCE = new BigDecimal("0.0001");

    public AccountConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(driftThreshold, "driftThreshold");
        Objects.requireNonNull(minTrade, "minTrade");
        Objects.requireNonNull(cashBuffer, "cashBuffer");
        targets = PaperSettings.ordered(targets);
        if (targets.isEmpty() == (allocation == null)) {
            throw new IllegalArgumentException("exactly one of targets and allocation must be given, but targets held "
                    + targets.size() + " symbols and allocation was " + allocation);
        }
    }

    /** An account without a schedule. */
    public AccountConfig(String id, Map<String, BigDecimal> targets, BigDecimal driftThreshold, BigDecimal minTrade,
                         BigDecimal cashBuffer, AllocationSettings allocation) {
        this(id, targets, driftThreshold, minTrade, cashBuffer, allocation, null);
    }

    /** An account whose targets are in the file. */
    public AccountConfig(String id, Map<String, BigDecimal> targets, BigDecimal driftThreshold, BigDecimal minTrade,
                         BigDecimal cashBuffer) {
        this(id, targets, driftThreshold, minTrade, cashBuffer, null, null);
    }
}
