package dev.keel.core.reconcile;

import dev.keel.core.account.AccountStatus;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.execution.OrderTrack;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.TransactionStarted;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import dev.keel.core.model.TransactionStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Does the broker hold what the journal says it should? Expected positions are the account as the last transaction
 * found it (or, when an operator resumed the account after that transaction, as the broker reported it at the resume)
 * plus every fill journaled after that point, in any of the account's recent transactions: orders of earlier
 * operations keep working and fill later (see {@link #expected}); every open order at the broker must be one the
 * journal knows and still considers working. A disagreement means an order Keel does not know about (a broker whose
 * lookups lag past the grace period, an order placed by hand, a lost journal), and the account must be looked at
 * (law 9). A check that found a disagreement is no baseline: only an operator's resume re-baselines.
 *
 * @param baseline    the transaction compared against, {@code resume at INSTANT}, or null when there is neither
 * @param differences one line per disagreement; empty when the broker agrees
 */
public record AccountCheck(String accountId, String baseline, List<String> differences) {
    /** How many of the account's most recent transactions are searched for fills after the baseline: 200. */
    public static final int FILL_SCAN = 200;

    public AccountCheck {
        differences = List.copyOf(differences);
    }

    public boolean agrees() {
        return differences.isEmpty();
    }

    public static AccountCheck compare(Journal journal, String accountId, AccountSnapshot now,
                                       List<BrokerOrder> openOrders) {
        List<String> differences = new ArrayList<>();
        for (BrokerOrder o : openOrders) {
            OrderTrack t = track(journal, o.clientOrderId());
            if (t == null) {
                differences.add("open order " + o.brokerOrderId() + " (" + o.clientOrderId() + ", "
                        + o.spec().describe() + ") is not in the journal");
            } else if (t.state().isTerminal()) {
                differences.add("open order " + o.brokerOrderId() + " (" + o.clientOrderId() + ") is "
                        + t.state() + " in the journal");
            }
        }
        AccountStatus status = AccountStatus.of(journal, accountId);
        List<JournalRecord> baseline = baseline(journal, accountId, status.resumeSequence());
        String label = null;
        if (baseline != null) {
            TransactionView view = TransactionView.fold(baseline);
            long started = baseline.stream().filter(r -> r.event() instanceof TransactionStarted).findFirst()
                    .orElseThrow().sequence();
            differences.addAll(Reconciler.quantityDifferences(expected(journal, accountId,
                    view.started().before(), started), now));
            label = view.started().txId();
        } else if (status.lastResume() != null) {
            differences.addAll(Reconciler.quantityDifferences(expected(journal, accountId,
                    status.lastResume().baseline(), status.resumeSequence()), now));
            label = "resume at " + status.lastResume().at();
        }
        return new AccountCheck(accountId, label, differences);
    }

    /**
     * The holdings {@code before} (the broker's account when journal sequence {@code since} was written) plus every
     * fill journaled after {@code since}, in any of the account's {@value #FILL_SCAN} most recent transactions: the
     * baseline's own orders, and orders of earlier transactions that kept working and filled later (a bracket's
     * stop), whose fills a sync journaled into their own, older streams. Each stream is folded up to {@code since}
     * and in full; the difference of each order's filled quantity, signed by its side, is what changed since.
     */
    static Map<Symbol, BigDecimal> expected(Journal journal, String accountId, AccountSnapshot before, long since) {
        Map<Symbol, BigDecimal> expected = Reconciler.expectedQuantities(before, List.of());
        for (TransactionSummary s : journal.recentTransactions(FILL_SCAN, accountId)) {
            List<JournalRecord> records = journal.stream(s.txId());
            if (records.isEmpty() || records.get(records.size() - 1).sequence() <= since) {
                continue;
            }
            TransactionView then = TransactionView.fold(records.stream().filter(r -> r.sequence() <= since).toList());
            TransactionView full = TransactionView.fold(records);
            for (OrderTrack o : full.orders()) {
                OrderTrack earlier = then.order(o.clientOrderId());
                BigDecimal delta = o.filledQuantity().subtract(earlier == null ? BigDecimal.ZERO
                        : earlier.filledQuantity());
                if (delta.signum() != 0) {
                    expected.merge(o.spec().symbol(), o.spec().side() == Side.BUY ? delta : delta.negate(),
                            BigDecimal::add);
                }
            }
        }
        return expected;
    }

    /**
     * The records of the account's most recent transaction that planned from a real snapshot after the operator's
     * last resume (journal sequence {@code after}): not one aborted before planning, nor one that found the broker in
     * disagreement, nor an OCO enforcement. Null when there is none.
     */
    private static List<JournalRecord> baseline(Journal journal, String accountId, long after) {
        for (TransactionSummary s : journal.recentTransactions(20, accountId)) {
            // Keel's own follow-ups on protective pairs start without an account check: their snapshot would take in
            // whatever the broker holds, a sale by hand too, so they are counted by their fills, never as a baseline
            if (s.status() == TransactionStatus.ABORTED
                    || OperationType.OCO_ENFORCEMENT.operationName().equals(s.operation())) {
                continue;
            }
            List<JournalRecord> records = journal.stream(s.txId());
            if (records.isEmpty() || records.get(0).sequence() < after) {
                return null;
            }
            TransactionView view = TransactionView.fold(records);
            // A check that found a disagreement before sending anything journaled the broker's word, not the journal's.
            boolean disagreed = view.ended() != null && view.ended().errorCode() == ErrorCode.RECONCILIATION_MISMATCH
                    && view.orders().isEmpty();
            if (view.started() != null && view.started().before() != null && !disagreed) {
                return records;
            }
        }
        return null;
    }

    /**
     * The journal's track of a client order id of the form {@code <txId>:<leg>}, or null when it has none. A leg may
     * hold a colon itself (a broker-held pair's stop-loss, {@code <txId>:protect-1:sl}), so each split is tried.
     */
    public static OrderTrack track(Journal journal, String clientOrderId) {
        for (int colon = clientOrderId.lastIndexOf(':'); colon > 0; colon = clientOrderId.lastIndexOf(':', colon - 1)) {
            List<JournalRecord> records = journal.stream(clientOrderId.substring(0, colon));
            if (!records.isEmpty()) {
                OrderTrack t = TransactionView.fold(records).order(clientOrderId);
                if (t != null) {
                    return t;
                }
            }
        }
        return null;
    }
}
