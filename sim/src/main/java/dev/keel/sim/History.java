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
 * @param refused order operations the engine refused before journaling anything, by {@code TYPE:CODE}
 */
record History(Scenario scenario, List<JournalRecord> journal, Map<String, List<ExchangeOrderLogEntry>> orders,
               List<WireCall> wire, Map<String, AccountSnapshot> initial, Map<String, AccountSnapshot> last,
               List<FaultRecord> faults, int crashes, int journalFailures, Duration grace, List<String> trace,
               Map<String, Integer> refused) {
}
