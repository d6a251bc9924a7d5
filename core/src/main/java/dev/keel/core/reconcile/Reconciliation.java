package dev.keel.core.reconcile;

import dev.keel.core.journal.ReconciliationRecorded;
import java.util.List;

/**
 * Expected against actual after a transaction.
 *
 * @param lines           per symbol: target weight, actual weight, drift
 * @param withinTolerance every symbol's drift is within the account's threshold
 * @param mismatches      where the broker disagrees with what the journal says filled (law 9); empty when none
 */
public record Reconciliation(List<ReconciliationRecorded.Line> lines, boolean withinTolerance,
                             List<String> mismatches) {
    public Reconciliation {
        lines = List.copyOf(lines);
        mismatches = List.copyOf(mismatches);
    }

    public boolean brokerAgrees() {
        return mismatches.isEmpty();
    }
}
