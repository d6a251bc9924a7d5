package dev.keel.paper;

import dev.keel.core.marketdata.Bar;
import dev.keel.core.marketdata.MarketSession;
import dev.keel.core.marketdata.QuoteSource;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The paper exchange's market-data feed, apart from its broker API: quotes delayed by a fixed time and the last close,
 * with daily and intraday bars, all taken from the exchange's price path. Not subject to the fault plan and not
 * counted as broker calls, as a separate data vendor would not be. Get it from {@link PaperExchange#marketData()}.
 */
public final class PaperMarketData {
    /** The name of the delayed source in plans and the journal. */
    public static final String DELAYED = "delayed";
    /** The name of the last-close source in plans and the journal. */
    public static final String LAST_CLOSE = "last-close";
    private static final Duration DAY = Duration.ofDays(1);

    private final PaperExchange exchange;
    private final MarketSession session;

    PaperMarketData(PaperExchange exchange, MarketHours hours) {
        this.exchange = exchange;
        this.session = hours == MarketHours.US_EQUITIES ? MarketSession.US_EQUITIES : MarketSession.ALWAYS_OPEN;
    }

    /** The session the exchange trades, for checking its bar series. */
    public MarketSession session() {
        return session;
    }

    /**
     * Quotes as they stood {@code delay} ago (taken then, so their age is the delay), and the bars that had ended by
     * then.
     */
    public QuoteSource delayed(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must be at least 0, but was " + delay);
        }
        return new Source(DELAYED, delay) {
            @Override
            public Optional<Quote> quote(Symbol symbol) {
                return Optional.ofNullable(exchange.marketRead((state, now) -> {
                    Instant at = now.minus(delay);
                    return state.tape.knows(symbol) ? state.market.quote(symbol, state.tape.midAt(symbol, at), at)
                            : null;
                }));
            }
        };
    }

    /** The close of the latest completed daily bar, as a quote with no spread taken at that close; and every bar. */
    public QuoteSource lastClose() {
        return new Source(LAST_CLOSE, Duration.ZERO) {
            @Override
            public Optional<Quote> quote(Symbol symbol) {
                return exchange.marketRead((state, now) -> {
                    List<Bar> daily = slotBars(state, symbol, now.minus(PriceTape.RETENTION), now, DAY);
                    if (daily.isEmpty()) {
                        return Optional.<Quote>empty();
                    }
                    Bar last = daily.getLast();
                    return Optional.of(new Quote(symbol, last.close(), last.close(), last.end()));
                });
            }
        };
    }

    /** The completed bars of {@code symbol} within [from, to] on the exchange's session; empty for an unknown one. */
    public List<Bar> bars(Symbol symbol, Instant from, Instant to, Duration interval) {
        return exchange.marketRead((state, now) -> slotBars(state, symbol, from, to.isAfter(now) ? now : to, interval));
    }

    private List<Bar> slotBars(ExchangeState state, Symbol symbol, Instant from, Instant to, Duration interval) {
        List<Bar> bars = new ArrayList<>();
        if (!state.tape.knows(symbol)) {
            return bars;
        }
        for (MarketSession.Slot slot : session.slots(from, to, interval)) {
            bars.add(state.tape.bar(symbol, slot.start(), slot.end()));
        }
        return bars;
    }

    /** A named view that offers bars ending at least {@code lag} ago. */
    private abstract class Source implements QuoteSource {
        private final String name;
        private final Duration lag;

        Source(String name, Duration lag) {
            this.name = name;
            this.lag = lag;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Optional<List<Bar>> bars(Symbol symbol, Instant from, Instant to, Duration interval) {
            return Optional.of(exchange.marketRead((state, now) -> {
                Instant until = now.minus(lag);
                return slotBars(state, symbol, from, to.isAfter(until) ? until : to, interval);
            }));
        }

        @Override
        public String toString() {
            return "paper market data: " + name;
        }
    }
}
