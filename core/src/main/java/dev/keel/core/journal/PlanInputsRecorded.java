package dev.keel.core.journal;

import dev.keel.core.marketdata.Trust;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a transaction's plan was computed from, journaled with its start: the targets and where they came from, and
 * each symbol's quote with its source and how far it was trusted. A resumed transaction reconciles against these
 * targets, and an auditor (or the simulation's checker) can see that no order was sized on untrusted data.
 *
 * @param allocationSource where the targets came from: {@code config} or the allocation service's URL
 * @param weights          target weight per symbol, by symbol
 * @param driftThreshold   the allocation's drift threshold
 * @param minTrade         the allocation's minimum trade
 * @param cashBuffer       the allocation's cash buffer
 * @param prices           one line per symbol planned, by symbol
 */
public record PlanInputsRecorded(String txId, String accountId, String allocationSource,
                                 Map<String, BigDecimal> weights, BigDecimal driftThreshold, BigDecimal minTrade, BigDecimal cashBuffer,
                                 List<Price> prices, Instant at) implements TransactionEvent {
    public PlanInputsRecorded {
        SortedMap<String, BigDecimal> sorted = new TreeMap<>(weights);
        weights = Collections.unmodifiableSortedMap(sorted);
        prices = List.copyOf(prices);
    }

    /**
     * One symbol's quote as the market-data chain judged it.
     *
     * @param source    the source whose quote passed, or null when none did
     * @param trust     TRUSTED (primary source), DEGRADED (a fallback) or UNTRUSTED (none passed; not traded)
     * @param bid       the quote's bid, or null when UNTRUSTED
     * @param ask       the quote's ask, or null when UNTRUSTED
     * @param quotedAt  when the source took the quote, or null when UNTRUSTED
     * @param checkedAt when the chain judged it
     * @param reference the last good price the outlier check compared against, or null when there was none
     * @param problems  every failed check, e.g. {@code live STALE: quote is PT2M old, more than the PT15S allowed}
     */
    public record Price(String symbol, String source, Trust trust, BigDecimal bid, BigDecimal ask, Instant quotedAt,
                        Instant checkedAt, BigDecimal reference, List<String> problems) {
        public Price {
            problems = List.copyOf(problems);
        }
    }

    /** The line of {@code symbol}, or null when the plan did not price it. */
    public Price price(String symbol) {
        return prices.stream().filter(p -> p.symbol().equals(symbol)).findFirst().orElse(null);
    }
}
