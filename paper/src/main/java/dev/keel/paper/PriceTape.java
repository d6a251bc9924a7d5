package dev.keel.paper;

import dev.keel.core.marketdata.Bar;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The exchange's price path: every mid as it changed (walk steps, {@code setPrice}), per symbol, for delayed quotes
 * and bars. It lives in memory from when the exchange was opened; before that a symbol's first known mid stands.
 * Points older than {@link #RETENTION} are dropped, keeping the one in force at the cut. Not thread-safe: the
 * exchange guards it with its lock.
 */
final class PriceTape {
    /** How much history is kept: 10 days, enough for a week of daily bars and a long weekend. */
    static final Duration RETENTION = Duration.ofDays(10);

    private final Map<Symbol, TreeMap<Instant, BigDecimal>> points = new HashMap<>();

    PriceTape(Map<Symbol, BigDecimal> mids, Instant at) {
        recordAll(mids, at);
    }

    void recordAll(Map<Symbol, BigDecimal> mids, Instant at) {
        mids.forEach((symbol, mid) -> record(symbol, at, mid));
    }

    void record(Symbol symbol, Instant at, BigDecimal mid) {
        TreeMap<Instant, BigDecimal> path = points.computeIfAbsent(symbol, s -> new TreeMap<>());
        path.put(at, mid);
        Instant inForce = path.floorKey(at.minus(RETENTION));
        if (inForce != null) {
            path.headMap(inForce, false).clear();
        }
    }

    boolean knows(Symbol symbol) {
        return points.containsKey(symbol);
    }

    /** The mid in force at {@code t}; the first known one before the tape began; null for an unknown symbol. */
    BigDecimal midAt(Symbol symbol, Instant t) {
        TreeMap<Instant, BigDecimal> path = points.get(symbol);
        if (path == null) {
            return null;
        }
        Map.Entry<Instant, BigDecimal> e = path.floorEntry(t);
        return e != null ? e.getValue() : path.firstEntry().getValue();
    }

    /** The bar of mids over [start, end): open and close in force at its edges, high and low over every change. */
    Bar bar(Symbol symbol, Instant start, Instant end) {
        BigDecimal open = midAt(symbol, start);
        if (open == null) {
            return null;
        }
        BigDecimal close = midAt(symbol, end.minusNanos(1));
        BigDecimal high = open.max(close);
        BigDecimal low = open.min(close);
        NavigableMap<Instant, BigDecimal> within = points.get(symbol).subMap(start, true, end, false);
        for (BigDecimal mid : within.values()) {
            high = high.max(mid);
            low = low.min(mid);
        }
        return new Bar(start, end, open, high, low, close);
    }
}
