package dev.keel.sim;

import dev.keel.core.marketdata.BrokerQuoteSource;
import dev.keel.core.model.Quote;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One call that crossed the wire to the exchange, as the exchange answered it.
 *
 * @param at              simulated time when the answer arrived (or the failure surfaced)
 * @param op              submit, lookup, cancel, account, positions, open-orders, quote, clock; or
 *                        {@code market-data:SOURCE} for the paper feed's fallback sources
 * @param clientOrderId   for submit and lookup, else the symbol of a quote, else null
 * @param outcome         OK, NOT_FOUND, or the failure's error code
 * @param cashAfter       for a submit: the account's cash at the exchange right after it, else null
 * @param journalSequence the journal's last sequence when the answer arrived: orders the call among journal events
 * @param quote           for a quote answered: the quote, else null
 * @param sentSequence    the journal's last sequence when the request left Keel, before the time it spends in
 *                        flight (a scheduling point, where another caller may append): what Keel knew when it sent
 */
record WireCall(Instant at, String accountId, String op, String clientOrderId, String outcome,
                BigDecimal cashAfter, long journalSequence, Quote quote, long sentSequence) {
    static final String OK = "OK";
    static final String NOT_FOUND = "NOT_FOUND";

    /** The op of a market-data source's answers: {@code quote} for the broker's live quotes. */
    static String quoteOp(String source) {
        return BrokerQuoteSource.NAME.equals(source) ? "quote" : "market-data:" + source;
    }

    @Override
    public String toString() {
        return at + " " + accountId + " " + op + (clientOrderId == null ? "" : " " + clientOrderId) + " -> "
                + outcome + (cashAfter == null ? "" : " cash " + cashAfter.toPlainString()) + " @" + journalSequence
                + (quote == null ? "" : " " + quote.bid().toPlainString() + "/" + quote.ask().toPlainString() + " at "
                + quote.at());
    }
}
