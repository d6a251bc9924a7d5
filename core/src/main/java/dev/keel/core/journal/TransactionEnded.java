package dev.keel.core.journal;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.model.TransactionStatus;
import java.time.Instant;

/**
 * The transaction's one terminal state (law 6).
 *
 * @param errorCode           the main error when not COMPLETED, or null
 * @param reconciliationNotes what reconciliation found, for the operator
 */
public record TransactionEnded(String txId, String accountId, TransactionStatus status, ErrorCode errorCode,
                               String errorMessage, String reconciliationNotes, Instant at)
        implements TransactionEvent {
    public TransactionEnded {
        if (!status.isTerminal()) {
            throw new IllegalArgumentException("a transaction ends in a terminal state, but was " + status);
        }
    }

    @Override
    public boolean closesStream() {
        return true;
    }
}
