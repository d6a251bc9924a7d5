package dev.keel.core.marketdata;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A symbol's quote as the {@link QuoteChain} judged it: the first quote that passed every check, the source it came
 * from, how far it is trusted, and every check that failed on the way (earlier sources included).
 *
 * @param quote     the quote that passed, or null when {@code trust} is UNTRUSTED
 * @param source    the source of {@code quote}, or null when UNTRUSTED
 * @param reference the last good price the outlier check compared against, or null when there was none
 * @param checkedAt when the chain judged it, by the injected clock
 * @param problems  every failed check, in the order the sources were asked
 */
public record CheckedQuote(Symbol symbol, Quote quote, String source, Trust trust, BigDecimal reference,
                           Instant checkedAt, List<QuoteProblem> problems) {
    public CheckedQuote {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(checkedAt, "checkedAt");
        problems = List.copyOf(problems);
        if ((quote == null) != (trust == Trust.UNTRUSTED) || (quote == null) != (source == null)) {
            throw new IllegalArgumentException("a quote and its source are given exactly when trust is not "
                    + "UNTRUSTED, but trust was " + trust + " with quote " + quote + " from " + source);
        }
    }

    /** An order may be sized on it: TRUSTED, or DEGRADED when {@code allowDegraded}. */
    public boolean usable(boolean allowDegraded) {
        return trust == Trust.TRUSTED || trust == Trust.DEGRADED && allowDegraded;
    }

    /** How old the quote was when judged; null when UNTRUSTED. */
    public Duration age() {
        return quote == null ? null : Duration.between(quote.at(), checkedAt);
    }

    /**
     * The catalog code a symbol is skipped with when this quote may not size an order: the most telling failed
     * check (an outlier over a stale quote over a missing one).
     */
    public ErrorCode code() {
        ErrorCode worst = ErrorCode.QUOTE_MISSING;
        for (QuoteProblem p : problems) {
            if (rank(p.check().code()) > rank(worst)) {
                worst = p.check().code();
            }
        }
        return worst;
    }

    /** The failed checks in one line, e.g. {@code live STALE: quote is PT2M old...; delayed MISSING: ...}. */
    public String describeProblems() {
        return problems.stream().map(QuoteProblem::toString).collect(Collectors.joining("; "));
    }

    private static int rank(ErrorCode code) {
        return switch (code) {
            case QUOTE_OUTLIER -> 2;
            case QUOTE_STALE -> 1;
            default -> 0;
        };
    }
}
