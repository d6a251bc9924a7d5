package dev.keel.alpaca;

import dev.keel.core.marketdata.Bar;
import dev.keel.core.marketdata.QuoteSource;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Alpaca's market data as a price source: the latest quote of one feed (e.g. {@code delayed_sip} for a delayed
 * source), or the close of the latest daily bar. Daily bars are served to the quote chain either way.
 */
public final class AlpacaQuotes implements QuoteSource {
    /** How far back the last close is looked for: 10 days cover weekends and holidays. */
    static final Duration LAST_CLOSE_LOOKBACK = Duration.ofDays(10);

    private final AlpacaBroker broker;
    private final String name;
    private final String feed;
    private final Clock clock;

    private AlpacaQuotes(AlpacaBroker broker, String name, String feed, Clock clock) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.name = Objects.requireNonNull(name, "name");
        this.feed = feed;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The latest quote of {@code feed}, named {@code name} in plans and the journal. */
    public static AlpacaQuotes feed(AlpacaBroker broker, String name, String feed, Clock clock) {
        return new AlpacaQuotes(broker, name, Objects.requireNonNull(feed, "feed"), clock);
    }

    /** The close of the latest completed daily bar, as a quote whose bid and ask are that close. */
    public static AlpacaQuotes lastClose(AlpacaBroker broker, String name, Clock clock) {
        return new AlpacaQuotes(broker, name, null, clock);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<Quote> quote(Symbol symbol) {
        if (feed != null) {
            return Optional.of(broker.quote(symbol, feed));
        }
        Instant now = clock.instant();
        List<Bar> bars = broker.dailyBars(symbol, now.minus(LAST_CLOSE_LOOKBACK), now);
        for (int i = bars.size() - 1; i >= 0; i--) {
            Bar bar = bars.get(i);
            if (!bar.end().isAfter(now)) {
                return Optional.of(new Quote(symbol, bar.close(), bar.close(), bar.end()));
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<List<Bar>> bars(Symbol symbol, Instant from, Instant to, Duration interval) {
        if (!interval.equals(Duration.ofDays(1))) {
            return Optional.empty();
        }
        return Optional.of(broker.dailyBars(symbol, from, to).stream()
                .filter(b -> !b.start().isBefore(from) && !b.end().isAfter(to)).toList());
    }
}
