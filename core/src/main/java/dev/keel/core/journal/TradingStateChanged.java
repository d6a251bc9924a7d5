package dev.keel.core.journal;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.TradingState;
import java.time.Instant;
import java.util.Objects;

/**
 * Law 9: an account's trading state moved. The state is the fold of these over the account's stream, ACTIVE before
 * the first one.
 *
 * @param reason   why, in a sentence for the operator
 * @param cause    the catalog code of the evidence (RECONCILIATION_MISMATCH, ORDER_OUTCOME_UNKNOWN,
 *                 BROKER_UNAVAILABLE...), or null for an operator's move
 * @param actor    who moved it
 * @param txId     the transaction whose outcome moved it, or null
 * @param baseline on an operator's resume, the account as the broker reported it then: later account checks compare
 *                 against it; null otherwise
 */
public record TradingStateChanged(String accountId, TradingState from, TradingState to, String reason,
                                  ErrorCode cause, TradingState.Actor actor, String txId, AccountSnapshot baseline,
                                  Instant at) implements AccountEvent {
    public TradingStateChanged {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
    }
}
