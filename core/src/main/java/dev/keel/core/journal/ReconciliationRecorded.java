package dev.keel.core.journal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Expected against actual, per ticker, after the orders.
 *
 * @param lines           one line per symbol
 * @param withinTolerance whether every line's drift is within the account's drift threshold
 */
public record ReconciliationRecorded(String txId, String accountId, List<Line> lines, boolean withinTolerance,
                                     Instant at) implements TransactionEvent {
    public ReconciliationRecorded {
        lines = List.copyOf(lines);
    }

    /**
     * One symbol.
     *
     * @param targetWeight the configured weight
     * @param actualWeight the weight at the broker after the transaction
     * @param drift        actual minus target
     */
    public record Line(String symbol, BigDecimal targetWeight, BigDecimal actualWeight, BigDecimal drift,
                       BigDecimal quantity, BigDecimal marketValue) {
    }
}
