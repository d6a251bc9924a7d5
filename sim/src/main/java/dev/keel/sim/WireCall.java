package dev.keel.sim;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One call that crossed the wire to the exchange, as the exchange answered it.
 *
 * @param at            simulated time when the answer arrived (or the failure surfaced)
 * @param op            submit, lookup, cancel, account, positions, open-orders, quote, clock
 * @param clientOrderId for submit and lookup, else null
 * @param outcome       OK, NOT_FOUND, or the failure's error code
 * @param cashAfter     for a submit: the account's cash at the exchange right after it, else null
 * @param journalSequence the journal's last sequence when the answer arrived: orders the call among journal events
 */
record WireCall(Instant at, String accountId, String op, String clientOrderId, String outcome,
                BigDecimal cashAfter, long journalSequence) {
    static final String OK = "OK";
    static final String NOT_FOUND = "NOT_FOUND";

    @Override
    public String toString() {
        return at + " " + accountId + " " + op + (clientOrderId == null ? "" : " " + clientOrderId) + " -> "
                + outcome + (cashAfter == null ? "" : " cash " + cashAfter.toPlainString()) + " @" + journalSequence;
    }
}
