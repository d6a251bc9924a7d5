package dev.keel.core.journal;

import dev.keel.core.model.TransactionStatus;
import java.time.Instant;

/**
 * One row of the transaction view the journal keeps beside its events.
 *
 * @param endedAt      null while in progress
 * @param lastSequence the journal sequence of the transaction's last record (a sync may append to a transaction
 *                     after it ended: a bracket's stop that filled later), so a reader can tell whether anything was
 *                     written to it since a point without reading its records
 */
public record TransactionSummary(String txId, String accountId, String operation, TransactionStatus status,
                                 Instant startedAt, Instant endedAt, String errorMessage, long lastSequence) {
}
