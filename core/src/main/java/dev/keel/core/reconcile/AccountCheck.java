package dev.keel.core.reconcile;

import dev.keel.core.account.AccountStatus;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.execution.OrderTrack;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.TransactionStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Does the broker hold what the journal says it should? Expected positions are the account as the last transaction
 * found it plus every fill that transaction journaled, or, when an operator resumed the account after that
 * transaction, the account as the broker reported it at the resume; every open order at the broker must be one the
 * journal knows and still considers working. A disagreement means an order Keel does not know about (a broker whose
 * lookups lag past the grace period, an order placed by hand, a lost journal), and the account must be looked at
 * (law 9). A check that found a disagreement is no baseline: only an operator's resume re-baselines.
 *
 * @param baseline    the transaction compared against, {@code resume at INSTANT}, or null when there is neither
 * @param differences one line per disagreement; empty when the broker agrees
 */
public record AccountCheck(String accountId, String baseline, List<String> differences) {
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
            differences.addAll(Reconciler.quantityDifferences(
                    Reconciler.expectedQuantities(view.started().before(), view.orders()), now));
            label = view.started().txId();
        } else if (status.lastResume() != null) {
            differences.addAll(Reconciler.quantityDifferences(
                    Reconciler.expectedQuantities(status.lastResume().baseline(), List.of()), now));
            label = "resume at " + status.lastResume().at();
        }
        return new AccountCheck(accountId, label, differences);
    }

    /**
     * The records of the account's most recent transaction that planned from a real snapshot after the operator's
     * last resume (journal sequence {@code after}): not one aborted before planning, nor one that found the broker in
     * disagreement. Null when there is none.
     */
    private static List<JournalRecord> baseline(Journal journal, String accountId, long after) {
        for (TransactionSummary s : journal.recentTransactions(20, accountId)) {
            if (s.status() == TransactionStatus.ABORTED) {
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

    /** The journal's track of a client order id of the form {@code <txId>:<leg>}, or null when it has none. */
    public static OrderTrack track(Journal journal, String clientOrderId) {
        // a broker-held OCO's stop leg is <txId>:<leg>:sl: its transaction is before the leg, not before the suffix
        String owner = clientOrderId.endsWith(dev.keel.core.broker.Broker.STOP_LOSS_SUFFIX)
                ? clientOrderId.substring(0, clientOrderId.length() - dev.keel.core.broker.Broker.STOP_LOSS_SUFFIX.length())
                : clientOrderId;
        int colon = owner.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        return TransactionView.fold(journal.stream(clientOrderId.substring(0, colon))).order(clientOrderId);
    }
}
