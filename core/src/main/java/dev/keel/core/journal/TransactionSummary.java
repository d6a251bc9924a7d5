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
 * @param working      what of the transaction may still be at the broker ({@link OrdersWorking#working()}) when its
 *                     last record said so; null when its last record is any other (unsaid: read its records)
 */
public record TransactionSummary(String txId, String accountId, String operation, TransactionStatus status,
                                 Instant startedAt, Instant endedAt, String errorMessage, long lastSequence,
                                 Integer working) {
    /** A summary whose last record said nothing of what is working. */
    public TransactionSummary(String txId, String accountId, String operation, TransactionStatus status,
                              Instant startedAt, Instant endedAt, String errorMessage, long lastSequence) {
        this(txId, accountId, operation, status, startedAt, endedAt, errorMessage, lastSequence, null);
    }

    /**
     * Whether an ended transaction is known to hold nothing at the broker: its last record is an
     * {@link OrdersWorking} of nothing. False while it is in progress, and when unsaid.
     */
    public boolean settled() {
        return status != null && status.isTerminal() && working != null && working == 0;
    }
}
