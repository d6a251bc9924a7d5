package dev.keel.app.config;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * One account to rebalance.
 *
 * @param id             unique, 1-64 characters of a-z, 0-9, '-' and '_'
 * @param targets        target weight per symbol (upper case), each in (0, 1], summing to 1 within 0.0001, file order
 * @param driftThreshold rebalance when a weight is off its target by more than this (absolute), in (0, 1)
 * @param minTrade       orders smaller than this cash amount are skipped
 * @param cashBuffer     share of the portfolio value kept in cash, in [0, 1)
 */
public record AccountConfig(String id, Map<String, BigDecimal> targets, BigDecimal driftThreshold,
                            BigDecimal minTrade, BigDecimal cashBuffer) {
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
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("targets must hold at least 1 symbol, but was empty");
        }
    }
}
