package dev.keel.core.marketdata;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One OHLC bar of mid prices.
 *
 * @param start the first instant the bar covers
 * @param end   the instant after the last one it covers: a daily bar of a US session ends at the 16:00 close
 */
public record Bar(Instant start, Instant end, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close) {
    public Bar {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(open, "open");
        Objects.requireNonNull(high, "high");
        Objects.requireNonNull(low, "low");
        Objects.requireNonNull(close, "close");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("a bar must end after it starts, but " + start + " to " + end);
        }
    }

    /** Why the bar cannot be right, or null when it is internally consistent. */
    public String problem() {
        if (open.signum() <= 0 || high.signum() <= 0 || low.signum() <= 0 || close.signum() <= 0) {
            return "a price is zero or negative";
        }
        if (high.compareTo(low) < 0) {
            return "high " + high.toPlainString() + " is below low " + low.toPlainString();
        }
        if (outside(open) || outside(close)) {
            return "open or close lies outside [low, high]";
        }
        return null;
    }

    private boolean outside(BigDecimal price) {
        return price.compareTo(low) < 0 || price.compareTo(high) > 0;
    }
}
