package dev.keel.core.journal;

import dev.keel.core.model.TransactionStatus;
import java.time.Instant;

/**
 * One row of the transaction view the journal keeps beside its events.
 *
 * @param endedAt null while in progress
 */
public record TransactionSummary(String txId, String accountId, String operation, TransactionStatus status,
                                 Instant startedAt, Instant endedAt, String errorMessage) {
}
