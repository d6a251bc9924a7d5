package dev.keel.paper;

import dev.keel.core.model.Symbol;
import java.time.Instant;

/**
 * A fault that fired, as {@link PaperExchange#faultsFired()} reports it.
 *
 * @param callNumber the exchange-wide number of the call it hit, 1-based
 * @param at         the exchange's time of the call
 * @param op         the operation
 * @param accountId  the account called
 * @param ruleIndex  the rule's position in {@link PaperConfig#faults()}, 0-based
 * @param kind       what happened
 * @param symbol     the call's symbol, null if it had none
 */
public record FaultRecord(long callNumber, Instant at, BrokerCall op, String accountId, int ruleIndex,
                          FaultKind kind, Symbol symbol) {
}
