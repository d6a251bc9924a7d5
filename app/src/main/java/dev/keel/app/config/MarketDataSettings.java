package dev.keel.app.config;

import dev.keel.core.marketdata.MarketDataPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code market-data} section as written: where prices come from, in the order they are asked, and how they are
 * checked. Its bounds are {@link MarketDataPolicy}'s.
 *
 * @param sources       asked in this order; the first is primary, a quote that passes only on a later one is DEGRADED
 * @param outlier       a mid further than this fraction from the last good price is refused, in (0, 10]
 * @param maxSpread     a spread wider than this fraction of mid is refused, in (0, 1)
 * @param allowDegraded whether a DEGRADED quote may size an order
 */
public record MarketDataSettings(List<Source> sources, BigDecimal outlier, BigDecimal maxSpread,
                                 boolean allowDegraded) {
    /** The default delay of the delayed source: 15 minutes. */
    public static final Duration DEFAULT_DELAY = Duration.ofMinutes(15);
    /** Every source with its defaults, live first; outlier 0.20, spread 0.02, degraded data allowed. */
    public static final MarketDataSettings DEFAULTS = new MarketDataSettings(List.of(Source.defaults(Kind.LIVE),
            Source.defaults(Kind.DELAYED), Source.defaults(Kind.LAST_CLOSE)), MarketDataPolicy.DEFAULT_OUTLIER,
            MarketDataPolicy.DEFAULT_MAX_SPREAD, MarketDataPolicy.DEFAULT_ALLOW_DEGRADED);

    public MarketDataSettings {
        sources = List.copyOf(sources);
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("sources must name at least 1 source, but named 0");
        }
        policy(outlier, maxSpread, allowDegraded); // throws, naming the bound, when out of it
    }

    /** The policy these settings describe, on {@code session}'s bars. */
    public MarketDataPolicy policy(dev.keel.core.marketdata.MarketSession session) {
        return MarketDataPolicy.builder().outlier(outlier).maxSpread(maxSpread).allowDegraded(allowDegraded)
                .session(session).build();
    }

    private static MarketDataPolicy policy(BigDecimal outlier, BigDecimal maxSpread, boolean allowDegraded) {
        return MarketDataPolicy.builder().outlier(Objects.requireNonNull(outlier, "outlier"))
                .maxSpread(Objects.requireNonNull(maxSpread, "maxSpread")).allowDegraded(allowDegraded).build();
    }

    /** A kind of price source. */
    public enum Kind implements WireName {
        /** The broker's own quotes. */
        LIVE,
        /** A feed delayed by {@code delay} (the paper exchange's, for the paper broker). */
        DELAYED,
        /** The close of the latest completed daily bar. */
        LAST_CLOSE
    }

    /**
     * One source.
     *
     * @param maxAge a quote older than this is stale
     * @param delay  how far behind a {@link Kind#DELAYED} feed is; null for the other kinds
     */
    public record Source(Kind kind, Duration maxAge, Duration delay) {
        public Source {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(maxAge, "maxAge");
            if ((kind == Kind.DELAYED) != (delay != null)) {
                throw new IllegalArgumentException("delay must be given exactly for kind delayed, but kind was "
                        + kind.wire() + " and delay " + delay);
            }
        }

        static Source defaults(Kind kind) {
            return switch (kind) {
                case LIVE -> new Source(kind, MarketDataPolicy.DEFAULT_LIVE_MAX_AGE, null);
                case DELAYED -> new Source(kind, MarketDataPolicy.DEFAULT_DELAYED_MAX_AGE, DEFAULT_DELAY);
                case LAST_CLOSE -> new Source(kind, MarketDataPolicy.DEFAULT_LAST_CLOSE_MAX_AGE, null);
            };
        }
    }
}
