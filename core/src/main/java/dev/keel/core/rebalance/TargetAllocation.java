package dev.keel.core.rebalance;

import dev.keel.core.model.Money;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The portfolio an account should hold: a weight per symbol and the rules for when and how much to trade.
 *
 * @param weights        weight per symbol, each in (0, 1], summing to 1 within {@link #WEIGHT_TOLERANCE}
 * @param driftThreshold a rebalance happens only when some symbol's |actual - target| weight exceeds this; once
 *                       one does, every symbol whose trade reaches {@code minTrade} is traded
 * @param minTrade       smaller trades are skipped and listed, in dollars
 * @param cashBuffer     fraction of equity kept in cash, never invested
 */
public record TargetAllocation(SortedMap<Symbol, BigDecimal> weights, BigDecimal driftThreshold, BigDecimal minTrade,
                               BigDecimal cashBuffer) {
    /** How far the weights may sum away from 1: 0.0001. */
    public static final BigDecimal WEIGHT_TOLERANCE = new BigDecimal("0.0001");
    /** The default drift threshold: 0.05 (five percentage points). */
    public static final BigDecimal DEFAULT_DRIFT_THRESHOLD = new BigDecimal("0.05");
    /** The default minimum trade: $10.00. */
    public static final BigDecimal DEFAULT_MIN_TRADE = new BigDecimal("10.00");
    /** The default cash buffer: 0.01 (one percent of equity). */
    public static final BigDecimal DEFAULT_CASH_BUFFER = new BigDecimal("0.01");

    public TargetAllocation {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(driftThreshold, "driftThreshold");
        Objects.requireNonNull(minTrade, "minTrade");
        Objects.requireNonNull(cashBuffer, "cashBuffer");
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("weights must name at least 1 symbol, but named 0");
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (Map.Entry<Symbol, BigDecimal> e : weights.entrySet()) {
            BigDecimal w = Objects.requireNonNull(e.getValue(), () -> "weight of " + e.getKey());
            if (w.signum() <= 0 || w.compareTo(BigDecimal.ONE) > 0) {
                throw new IllegalArgumentException(
                        "weight of " + e.getKey() + " must be in (0, 1], but was " + w.toPlainString());
            }
            sum = sum.add(w);
        }
        if (sum.subtract(BigDecimal.ONE).abs().compareTo(WEIGHT_TOLERANCE) > 0) {
            throw new IllegalArgumentException("weights must sum to 1 (within " + WEIGHT_TOLERANCE.toPlainString()
                    + "), but sum to " + sum.toPlainString());
        }
        if (driftThreshold.signum() < 0 || driftThreshold.compareTo(BigDecimal.ONE) >= 0) {
            throw new IllegalArgumentException(
                    "driftThreshold must be in [0, 1), but was " + driftThreshold.toPlainString());
        }
        if (minTrade.signum() < 0) {
            throw new IllegalArgumentException("minTrade must be at least 0, but was " + minTrade.toPlainString());
        }
        if (cashBuffer.signum() < 0 || cashBuffer.compareTo(BigDecimal.ONE) >= 0) {
            throw new IllegalArgumentException("cashBuffer must be in [0, 1), but was " + cashBuffer.toPlainString());
        }
        weights = Collections.unmodifiableSortedMap(new TreeMap<>(weights));
        minTrade = Money.cash(minTrade);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The configured weight of {@code symbol}, zero when it is not a target. */
    public BigDecimal weight(Symbol symbol) {
        return weights.getOrDefault(symbol, BigDecimal.ZERO);
    }

    public boolean isTarget(Symbol symbol) {
        return weights.containsKey(symbol);
    }

    /** Builds a {@link TargetAllocation}; the defaults are the {@code DEFAULT_*} constants. */
    public static final class Builder {
        private final SortedMap<Symbol, BigDecimal> weights = new TreeMap<>();
        private BigDecimal driftThreshold = DEFAULT_DRIFT_THRESHOLD;
        private BigDecimal minTrade = DEFAULT_MIN_TRADE;
        private BigDecimal cashBuffer = DEFAULT_CASH_BUFFER;

        private Builder() {
        }

        public Builder weight(Symbol symbol, BigDecimal weight) {
            weights.put(Objects.requireNonNull(symbol, "symbol"), Objects.requireNonNull(weight, "weight"));
            return this;
        }

        /** {@code weight("VTI", "0.30")}. */
        public Builder weight(String symbol, String weight) {
            return weight(Symbol.of(symbol), new BigDecimal(weight));
        }

        public Builder weights(Map<Symbol, BigDecimal> all) {
            all.forEach(this::weight);
            return this;
        }

        public Builder driftThreshold(BigDecimal driftThreshold) {
            this.driftThreshold = driftThreshold;
            return this;
        }

        public Builder minTrade(BigDecimal minTrade) {
            this.minTrade = minTrade;
            return this;
        }

        public Builder cashBuffer(BigDecimal cashBuffer) {
            this.cashBuffer = cashBuffer;
            return this;
        }

        public TargetAllocation build() {
            return new TargetAllocation(weights, driftThreshold, minTrade, cashBuffer);
        }
    }
}
