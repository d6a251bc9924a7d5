package dev.keel.paper;

import dev.keel.core.model.Money;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** Mid prices, the spread around them, and the seeded random walk that moves them. */
final class Market {
    /** Draws are integers in ±RESOLUTION scaled down, so the walk is BigDecimal arithmetic, never double. */
    private static final long RESOLUTION = 1_000_000L;
    private static final BigDecimal MIN_PRICE = new BigDecimal("0.0001");
    private static final BigDecimal BPS_PER_HALF_SPREAD = new BigDecimal("20000");

    private final TreeMap<Symbol, BigDecimal> mids;
    private final BigDecimal halfSpread;
    private final BigDecimal volatility;
    private final SplitMix64 random;

    Market(Map<Symbol, BigDecimal> mids, BigDecimal spreadBps, BigDecimal volatility, long randomState) {
        this.mids = new TreeMap<>();
        mids.forEach((symbol, mid) -> this.mids.put(symbol, Money.price(mid)));
        this.halfSpread = spreadBps.divide(BPS_PER_HALF_SPREAD, 12, RoundingMode.HALF_EVEN);
        this.volatility = volatility;
        this.random = new SplitMix64(randomState);
    }

    Map<Symbol, BigDecimal> mids() {
        return Map.copyOf(mids);
    }

    BigDecimal mid(Symbol symbol) {
        return mids.get(symbol);
    }

    boolean knows(Symbol symbol) {
        return mids.containsKey(symbol);
    }

    void setMid(Symbol symbol, BigDecimal mid) {
        mids.put(symbol, Money.price(mid));
    }

    long randomState() {
        return random.state();
    }

    /** The quote of a known symbol at {@code at}; null for an unknown one. */
    Quote quote(Symbol symbol, Instant at) {
        BigDecimal mid = mids.get(symbol);
        return mid == null ? null : quote(symbol, mid, at);
    }

    /** The quote around {@code mid}, the exchange's spread wide, taken at {@code at}. */
    Quote quote(Symbol symbol, BigDecimal mid, Instant at) {
        BigDecimal half = mid.multiply(halfSpread);
        return new Quote(symbol, Money.price(mid.subtract(half)), Money.price(mid.add(half)), at);
    }

    /** One walk step: every mid, in symbol order, moves by a uniform relative draw in ±volatility. */
    void step() {
        for (Map.Entry<Symbol, BigDecimal> e : mids.entrySet()) {
            BigDecimal draw = BigDecimal.valueOf(random.nextSigned(RESOLUTION), 6);
            BigDecimal moved = e.getValue().multiply(BigDecimal.ONE.add(volatility.multiply(draw)));
            e.setValue(Money.price(moved).max(MIN_PRICE));
        }
    }
}
