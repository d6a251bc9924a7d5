package dev.keel.notify.history;

import dev.keel.core.error.ErrorCode;
import java.time.Instant;
import java.util.Objects;

/**
 * One error the journal recorded: a failed order attempt, a failed cancel, a lookup that erred, or a transaction that
 * ended with a code.
 *
 * @param at        when it happened, by the engine's clock
 * @param code      its catalog code
 * @param accountId the account it happened on
 * @param txId      the transaction it happened in, or null
 */
public record ErrorOccurrence(Instant at, ErrorCode code, String accountId, String txId) {
    public ErrorOccurrence {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(accountId, "accountId");
    }
}
