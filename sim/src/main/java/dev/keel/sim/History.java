package dev.keel.sim;

import dev.keel.core.journal.JournalRecord;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.paper.ExchangeOrderLogEntry;
import dev.keel.paper.FaultRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one simulated run left behind, for the checker: the journal as the last engine found it, each exchange's own
 * order log, the wire log of every call, the accounts before and after, and what happened to the engine.
 *
 * @param initial the accounts as their exchanges first held them
 * @param grace   the executor's visibility grace period
 * @param trace   the run's notable moments (crashes, restarts, refused appends), in order
 * @param refused  order operations the engine refused before journaling anything, by {@code TYPE:CODE}
 * @param findings what the run itself saw break: an exception that reached a caller, an outcome under a transaction
 *                 the journal never heard of
 * @param ranToEnd whether the run reached its end (final recovery, watch and reconcile, and the escalation tail);
 *                 false when it threw
 * @param alertPasses the escalation passes that ran, in order (none for a scenario without alerting)
 */
record History(Scenario scenario, List<JournalRecord> journal, Map<String, List<ExchangeOrderLogEntry>> orders,
               List<WireCall> wire, Map<String, AccountSnapshot> initial, Map<String, AccountSnapshot> last,
               List<FaultRecord> faults, int crashes, int journalFailures, Duration grace, List<String> trace,
               Map<String, Integer> refused, List<Violation> findings, boolean ranToEnd,
               List<SimEscalator.Pass> alertPasses) {
    /** A history without escalation passes (a scenario without alerting). */
    History(Scenario scenario, List<JournalRecord> journal, Map<String, List<ExchangeOrderLogEntry>> orders,
            List<WireCall> wire, Map<String, AccountSnapshot> initial, Map<String, AccountSnapshot> last,
            List<FaultRecord> faults, int crashes, int journalFailures, Duration grace, List<String> trace,
            Map<String, Integer> refused, List<Violation> findings, boolean ranToEnd) {
        this(scenario, journal, orders, wire, initial, last, faults, crashes, journalFailures, grace, trace, refused,
                findings, ranToEnd, List.of());
    }
}
