package dev.keel.core.marketdata;

import dev.keel.core.execution.BrokerGateway;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import java.util.Objects;
import java.util.Optional;

/** The broker's own quotes, read through the account's gateway (its circuit breaker, reads retried): {@code live}. */
public final class BrokerQuoteSource implements QuoteSource {
    /** The name of the broker's live source in plans and the journal. */
    public static final String NAME = "live";

    private final BrokerGateway gateway;

    public BrokerQuoteSource(BrokerGateway gateway) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Quote> quote(Symbol symbol) {
        return Optional.of(gateway.read(() -> gateway.broker().quote(symbol)));
    }
}
