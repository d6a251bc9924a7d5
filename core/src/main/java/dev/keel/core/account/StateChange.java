package dev.keel.core.account;

import dev.keel.core.journal.TradingStateChanged;
import dev.keel.core.model.TradingState;

/**
 * What an operator's {@code halt} or {@code resume} did.
 *
 * @param from    the state before
 * @param to      the state after (equal to {@code from} unless CHANGED)
 * @param message a sentence for the operator
 * @param event   the journaled change, or null when nothing changed
 */
public record StateChange(String accountId, Result result, TradingState from, TradingState to, String message,
                          TradingStateChanged event) {

    /** Whether the account moved. */
    public enum Result {
        /** Moved and journaled. */
        CHANGED,
        /** Already in the requested state: nothing journaled. */
        UNCHANGED,
        /** Not moved: the message says why (open orders at the broker, the broker unreachable...). */
        REFUSED
    }
}
