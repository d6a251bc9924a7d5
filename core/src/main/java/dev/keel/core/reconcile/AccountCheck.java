package dev.keel.core.reconcile;

import dev.keel.core.execution.OrderTrack;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.TransactionStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Does the broker hold what the journal says it should? Expected positions are the account as the last transaction
 * found it plus every fill that transaction journaled; every open order at the broker must be one the journal knows
 * and still considers working. A disagreement means an order Keel does not know about (a broker whose lookups lag
 * past the grace period, an order placed by hand, a lost journal), and the account must be looked at (law 9).
 *
 * @param baseline    the transaction compared against, or null when the journal has none for the account yet
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
        TransactionView baseline = baseline(journal, accountId);
        if (baseline != null) {
            differences.addAll(Reconciler.quantityDifferences(
                    Reconciler.expectedQuantities(baseline.started().before(), baseline.orders()), now));
        }
        return new AccountCheck(accountId, baseline == null ? null : baseline.started().txId(), differences);
    }

    /** The account's most recent transaction that planned from a real snapshot: not one aborted before planning. */
    private static TransactionView baseline(Journal journal, String accountId) {
        for (TransactionSummary s : journal.recentTransactions(20, accountId)) {
            if (s.status() == TransactionStatus.ABORTED) {
                continue;
            }
            TransactionView view = TransactionView.fold(journal.stream(s.txId()));
            if (view.started() != null && view.started().before() != null) {
                return view;
            }
        }
        return null;
    }

    /** The journal's track of a client order id of the form {@code <txId>:<leg>}, or null when it has none. */
    public static OrderTrack track(Journal journal, String clientOrderId) {
        int colon = clientOrderId.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        return TransactionView.fold(journal.stream(clientOrderId.substring(0, colon))).order(clientOrderId);
    }
}
