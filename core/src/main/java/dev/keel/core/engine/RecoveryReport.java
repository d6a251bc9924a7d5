package dev.keel.core.engine;

import dev.keel.core.model.TransactionStatus;
import java.time.Duration;
import java.util.List;

/**
 * What start-up recovery did.
 *
 * @param transactions one entry per transaction found in progress
 * @param took         how long recovery took by the engine's clock
 */
public record RecoveryReport(List<Entry> transactions, Duration took) {
    public RecoveryReport {
        transactions = List.copyOf(transactions);
    }

    /**
     * One transaction.
     *
     * @param status the terminal state it was brought to
     */
    public record Entry(String txId, String accountId, TransactionStatus status, String note) {
    }
}
