package dev.keel.core.journal;

import java.time.Instant;

/** A restarted engine picked up a transaction that was not terminal. */
public record TransactionResumed(String txId, String accountId, String reason, Instant at)
        implements TransactionEvent {
}
