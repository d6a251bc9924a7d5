package dev.keel.sim;

import dev.keel.core.error.KeelException;
import dev.keel.core.marketdata.Bar;
import dev.keel.core.marketdata.QuoteSource;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A fallback market-data source whose every quote answer goes into the wire log, as the broker's do: the checker's
 * witness of what the source actually said, apart from what the engine journaled.
 */
final class RecordingQuoteSource implements QuoteSource {
    private final QuoteSource delegate;
    private final String accountId;
    private final Clock clock;
    private final List<WireCall> wire;
    private final LongSupplier journalSequence;

    /** @param journalSequence the journal's last sequence, read as each answer arrives */
    RecordingQuoteSource(QuoteSource delegate, String accountId, Clock clock, List<WireCall> wire,
                         LongSupplier journalSequence) {
        this.delegate = delegate;
        this.accountId = accountId;
        this.clock = clock;
        this.wire = wire;
        this.journalSequence = journalSequence;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Optional<Quote> quote(Symbol symbol) {
        String op = WireCall.quoteOp(name());
        Optional<Quote> answer;
        try {
            answer = delegate.quote(symbol);
        } catch (KeelException e) {
            long seen = journalSequence.getAsLong();
            wire.add(new WireCall(clock.instant(), accountId, op, symbol.value(), e.code().name(), null, seen, null,
                    seen));
            throw e;
        }
        long seen = journalSequence.getAsLong();
        wire.add(new WireCall(clock.instant(), accountId, op, symbol.value(),
                answer.isPresent() ? WireCall.OK : WireCall.NOT_FOUND, null, seen,
                answer.orElse(null), seen));
        return answer;
    }

    @Override
    public Optional<List<Bar>> bars(Symbol symbol, Instant from, Instant to, Duration interval) {
        return delegate.bars(symbol, from, to, interval);
    }
}
