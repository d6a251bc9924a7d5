package dev.keel.app.config;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The paper exchange: its starting account, prices and the seeded fault plan.
 *
 * @param state         where the exchange persists its state (absolute), so it outlives a killed engine
 * @param seed          seeds every random choice of the exchange (probabilistic faults, price moves)
 * @param latency       simulated time each call takes
 * @param cash          starting cash
 * @param positions     starting quantity per symbol, in file order
 * @param prices        starting price per symbol, in file order
 * @param spreadBps     bid/ask spread in basis points around the price
 * @param priceMode     whether prices stay put or walk
 * @param marketHours   when the market is open
 * @param visibilityLag how long after a submit the order is invisible to lookups (law 4's grace period)
 * @param faults        the fault plan, in file order
 * @param backupFaults  the fault plan of a backup endpoint to the same exchange, or null for no backup
 * @param orderClasses  whether the exchange holds OCO and bracket orders itself; false makes Keel emulate them
 */
public record PaperSettings(Path state, long seed, Duration latency, BigDecimal cash, Map<String, BigDecimal> positions,
                            Map<String, BigDecimal> prices, BigDecimal spreadBps, PriceMode priceMode,
                            MarketHours marketHours, Duration visibilityLag, List<FaultSettings> faults,
                            List<FaultSettings> backupFaults, boolean orderClasses) {
    /** Default state file, relative to the working directory: {@value}. */
    public static final String DEFAULT_STATE = "keel-data/paper.db";
    /** Default seed: 1. */
    public static final long DEFAULT_SEED = 1;
    /** Default latency: none. */
    public static final Duration DEFAULT_LATENCY = Duration.ZERO;
    /** Default starting cash: 10000.00. */
    public static final BigDecimal DEFAULT_CASH = new BigDecimal("10000.00");
    /** Default spread: 0 basis points. */
    public static final BigDecimal DEFAULT_SPREAD_BPS = BigDecimal.ZERO;
    /** Default visibility lag: none. */
    public static final Duration DEFAULT_VISIBILITY_LAG = Duration.ZERO;
    /** Default order classes: true (the exchange holds OCO and bracket orders). */
    public static final boolean DEFAULT_ORDER_CLASSES = true;

    /** How prices move. */
    public enum PriceMode implements WireName {
        /** Prices stay as configured. */
        FIXED,
        /** Prices take a seeded random walk. */
        RANDOM_WALK
    }

    /** When the paper market is open. */
    public enum MarketHours implements WireName {
        /** Always open. */
        ALWAYS,
        /** Weekdays 09:30-16:00 America/New_York. */
        NYSE
    }

    public PaperSettings {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(cash, "cash");
        Objects.requireNonNull(spreadBps, "spreadBps");
        Objects.requireNonNull(priceMode, "priceMode");
        Objects.requireNonNull(marketHours, "marketHours");
        Objects.requireNonNull(visibilityLag, "visibilityLag");
        positions = ordered(positions);
        prices = ordered(prices);
        faults = List.copyOf(faults);
        backupFaults = backupFaults == null ? null : List.copyOf(backupFaults);
        if (cash.signum() < 0) {
            throw new IllegalArgumentException("cash must be at least 0, but was " + cash.toPlainString());
        }
    }

    /** An unmodifiable copy that keeps the file's order (Map.copyOf would not). */
    static <V> Map<String, V> ordered(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
