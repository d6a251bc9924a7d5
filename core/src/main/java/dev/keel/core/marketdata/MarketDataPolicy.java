package dev.keel.core.marketdata;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * The checks a {@link QuoteChain} applies beyond each source's own maximum age, and whether fallback data may size
 * an order. Immutable; build with {@link #builder()}.
 */
public final class MarketDataPolicy {
    /** The default maximum age of a live quote: 15 s. */
    public static final Duration DEFAULT_LIVE_MAX_AGE = Duration.ofSeconds(15);
    /** The default maximum age of a delayed quote: 20 min (a 15-minute feed plus slack). */
    public static final Duration DEFAULT_DELAYED_MAX_AGE = Duration.ofMinutes(20);
    /** The default maximum age of a last close: 4 days (a long weekend). */
    public static final Duration DEFAULT_LAST_CLOSE_MAX_AGE = Duration.ofDays(4);
    /** The default outlier bound: a mid more than 20 % from the last good price is refused. */
    public static final BigDecimal DEFAULT_OUTLIER = new BigDecimal("0.20");
    /** The default widest spread: 2 % of mid. */
    public static final BigDecimal DEFAULT_MAX_SPREAD = new BigDecimal("0.02");
    /** The default: a quote that passed only on a fallback source may size an order. */
    public static final boolean DEFAULT_ALLOW_DEGRADED = true;
    /** The default window of daily bars the reference close is taken from: 7 days. */
    public static final Duration DEFAULT_REFERENCE_LOOKBACK = Duration.ofDays(7);

    private final BigDecimal outlier;
    private final BigDecimal maxSpread;
    private final boolean allowDegraded;
    private final Duration referenceLookback;
    private final MarketSession session;

    private MarketDataPolicy(Builder b) {
        this.outlier = b.outlier;
        this.maxSpread = b.maxSpread;
        this.allowDegraded = b.allowDegraded;
        this.referenceLookback = b.referenceLookback;
        this.session = b.session;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static MarketDataPolicy defaults() {
        return builder().build();
    }

    /** A mid further than this fraction from the symbol's last good price is an outlier. */
    public BigDecimal outlier() {
        return outlier;
    }

    /** A spread wider than this fraction of mid is refused. */
    public BigDecimal maxSpread() {
        return maxSpread;
    }

    /** Whether a DEGRADED quote (passed only on a fallback source) may size an order. */
    public boolean allowDegraded() {
        return allowDegraded;
    }

    /** How far back the daily bars reach that give a reference close when no good price is remembered. */
    public Duration referenceLookback() {
        return referenceLookback;
    }

    /** The trading session the bar series are checked against. Default {@link MarketSession#US_EQUITIES}. */
    public MarketSession session() {
        return session;
    }

    @Override
    public String toString() {
        return "MarketDataPolicy[outlier=" + outlier.toPlainString() + ", maxSpread=" + maxSpread.toPlainString()
                + ", allowDegraded=" + allowDegraded + ", referenceLookback=" + referenceLookback + ", session="
                + session + "]";
    }

    /** Builds a {@link MarketDataPolicy}; every check names the bound and the value. */
    public static final class Builder {
        private BigDecimal outlier = DEFAULT_OUTLIER;
        private BigDecimal maxSpread = DEFAULT_MAX_SPREAD;
        private boolean allowDegraded = DEFAULT_ALLOW_DEGRADED;
        private Duration referenceLookback = DEFAULT_REFERENCE_LOOKBACK;
        private MarketSession session = MarketSession.US_EQUITIES;

        private Builder() {
        }

        public Builder outlier(BigDecimal fraction) {
            Objects.requireNonNull(fraction, "outlier");
            if (fraction.signum() <= 0 || fraction.compareTo(BigDecimal.TEN) > 0) {
                throw new IllegalArgumentException("outlier must be in (0, 10], but was " + fraction.toPlainString());
            }
            this.outlier = fraction;
            return this;
        }

        public Builder maxSpread(BigDecimal fraction) {
            Objects.requireNonNull(fraction, "maxSpread");
            if (fraction.signum() <= 0 || fraction.compareTo(BigDecimal.ONE) >= 0) {
                throw new IllegalArgumentException("maxSpread must be in (0, 1), but was "
                        + fraction.toPlainString());
            }
            this.maxSpread = fraction;
            return this;
        }

        public Builder allowDegraded(boolean value) {
            this.allowDegraded = value;
            return this;
        }

        public Builder referenceLookback(Duration value) {
            Objects.requireNonNull(value, "referenceLookback");
            if (value.compareTo(Duration.ofDays(1)) < 0) {
                throw new IllegalArgumentException("referenceLookback must be at least 1 day, but was " + value);
            }
            this.referenceLookback = value;
            return this;
        }

        public Builder session(MarketSession value) {
            this.session = Objects.requireNonNull(value, "session");
            return this;
        }

        public MarketDataPolicy build() {
            return new MarketDataPolicy(this);
        }
    }
}
