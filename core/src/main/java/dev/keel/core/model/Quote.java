package dev.keel.core.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Objects;

/**
 * A top-of-book quote.
 *
 * @param symbol the instrument
 * @param bid    best bid
 * @param ask    best ask
 * @param at     when the quote was taken at its source
 */
public record Quote(Symbol symbol, BigDecimal bid, BigDecimal ask, Instant at) {
    public Quote {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(bid, "bid");
        Objects.requireNonNull(ask, "ask");
        Objects.requireNonNull(at, "at");
    }

    public BigDecimal mid() {
        return bid.add(ask).divide(BigDecimal.TWO, Money.PRICE_SCALE, RoundingMode.HALF_EVEN);
    }

    /** Positive, non-crossed prices: the minimum before anything is sized on this quote. */
    public boolean isSane() {
        return bid.signum() > 0 && ask.signum() > 0 && bid.compareTo(ask) <= 0;
    }
}
