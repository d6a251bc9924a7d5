package dev.keel.core.marketdata;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A source that answers what the test told it, and counts how often it was asked. */
final class ScriptedSource implements QuoteSource {
    private final String name;
    private final Map<Symbol, Quote> quotes = new HashMap<>();
    private final Map<Symbol, List<Bar>> bars = new HashMap<>();
    private final List<Symbol> failing = new ArrayList<>();
    private boolean offersBars;
    int quoteCalls;

    ScriptedSource(String name) {
        this.name = name;
    }

    ScriptedSource quote(Quote q) {
        quotes.put(q.symbol(), q);
        return this;
    }

    ScriptedSource failing(Symbol symbol) {
        failing.add(symbol);
        return this;
    }

    ScriptedSource bars(Symbol symbol, Bar... series) {
        offersBars = true;
        bars.put(symbol, List.of(series));
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<Quote> quote(Symbol symbol) {
        quoteCalls++;
        if (failing.contains(symbol)) {
            throw new KeelException(ErrorCode.BROKER_TIMEOUT, name + " timed out");
        }
        return Optional.ofNullable(quotes.get(symbol));
    }

    @Override
    public Optional<List<Bar>> bars(Symbol symbol, Instant from, Instant to, Duration interval) {
        if (!offersBars) {
            return Optional.empty();
        }
        return Optional.of(bars.getOrDefault(symbol, List.of()).stream()
                .filter(b -> !b.start().isBefore(from) && !b.end().isAfter(to)).toList());
    }
}
