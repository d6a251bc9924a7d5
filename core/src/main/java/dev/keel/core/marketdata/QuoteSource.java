package dev.keel.core.marketdata;

import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where prices come from: the broker's live quotes, a delayed feed, the last close. A {@link QuoteChain} asks its
 * sources in order and checks what each answers. A source only answers; it does not judge its own data.
 */
public interface QuoteSource {
    /** A short name for the plan and the journal, e.g. {@code live}, {@code delayed}, {@code last-close}. */
    String name();

    /**
     * The source's quote of {@code symbol}; empty when it has none. A source that cannot be asked throws a
     * {@link dev.keel.core.error.KeelException} (a {@link dev.keel.core.broker.BrokerException} for a broker).
     */
    Optional<Quote> quote(Symbol symbol);

    /**
     * The source's completed bars of {@code symbol} that start at or after {@code from} and end at or before
     * {@code to}, in time order; empty when the source keeps no bars (the default).
     *
     * @param interval one day, or at least a minute and below a day
     */
    default Optional<List<Bar>> bars(Symbol symbol, Instant from, Instant to, Duration interval) {
        return Optional.empty();
    }
}
