package dev.keel.core.ops;

import dev.keel.core.execution.OperationContext;
import dev.keel.core.execution.OrderExecutor;
import dev.keel.core.execution.OrderTrack;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.OrdersWorking;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.OrderState;
import dev.keel.core.reconcile.AccountCheck;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The orders one account's journal considers working (ACCEPTED, PARTIALLY_FILLED, or UNKNOWN: the broker may hold
 * them) across its recent transactions, and {@link #sync} to bring them up to date with the broker. Orders of ended
 * transactions keep working at the broker (a bracket's resting stop, a cancel that failed); nothing else watches them,
 * so their fills reach the journal, in their own transaction's stream, only through a sync.
 *
 * <p>Not covered: transactions older than the newest {@code limit} of the account (default {@value #DEFAULT_SCAN});
 * orders still INTENDED (never sent: an ended transaction cannot have put them at the broker); and transactions still
 * in progress, whose own saga (or recovery) drives their orders.
 */
public final class LiveOrders {
    /** The default number of the account's most recent transactions scanned: 200. */
    public static final int DEFAULT_SCAN = 200;

    /** One working order and the ledger of the transaction that placed it. */
    public record LiveOrder(TransactionLedger owner, String clientOrderId) {
        public OrderTrack track() {
            return owner.view().order(clientOrderId);
        }
    }

    private final String accountId;
    private final List<TransactionLedger> transactions;
    /** The journal's summaries of {@link #transactions} as the scan read them, by transaction. */
    private final Map<String, TransactionSummary> summaries;

    private LiveOrders(String accountId, List<TransactionLedger> transactions,
                       Map<String, TransactionSummary> summaries) {
        this.accountId = accountId;
        this.transactions = transactions;
        this.summaries = summaries;
    }

    /** Reads the account's most recent {@code limit} transactions, oldest first. */
    public static LiveOrders scan(Journal journal, String accountId, int limit) {
        return read(journal, accountId, recent(journal, accountId, limit));
    }

    /**
     * {@link #scan}, but reading no transaction's records when the journal's index of its transactions says none of
     * the ended ones may hold anything at the broker (each one's last record an {@link OrdersWorking} of nothing):
     * then nothing is live, and the scan is empty. An account with nothing live costs one indexed query.
     */
    public static LiveOrders scanWorking(Journal journal, String accountId, int limit) {
        List<TransactionSummary> recent = recent(journal, accountId, limit);
        return mayHoldWorking(recent) ? read(journal, accountId, recent)
                : new LiveOrders(accountId, List.of(), Map.of());
    }

    /** Whether any ended transaction among {@code recent} is not known to hold nothing at the broker. */
    static boolean mayHoldWorking(List<TransactionSummary> recent) {
        for (TransactionSummary s : recent) {
            if (s.status() != null && s.status().isTerminal() && !s.settled()) {
                return true;
            }
        }
        return false;
    }

    private static List<TransactionSummary> recent(Journal journal, String accountId, int limit) {
        Objects.requireNonNull(accountId, "accountId");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, but was " + limit);
        }
        return journal.recentTransactions(limit, accountId);
    }

    private static LiveOrders read(Journal journal, String accountId, List<TransactionSummary> recent) {
        List<TransactionLedger> ledgers = new ArrayList<>();
        Map<String, TransactionSummary> summaries = new HashMap<>();
        for (int i = recent.size() - 1; i >= 0; i--) {
            String txId = recent.get(i).txId();
            summaries.put(txId, recent.get(i));
            TransactionView view = TransactionView.fold(journal.stream(txId));
            String correlation = view.started() == null ? txId : view.started().correlationId();
            ledgers.add(new TransactionLedger(journal, new OperationContext(txId, accountId, correlation), view));
        }
        return new LiveOrders(accountId, ledgers, summaries);
    }

    public String accountId() {
        return accountId;
    }

    /** Every scanned transaction, oldest first; their views follow what {@link #sync} journals. */
    public List<TransactionLedger> transactions() {
        return List.copyOf(transactions);
    }

    /** The scanned transaction {@code txId}, or null when it is not among them. */
    public TransactionLedger transaction(String txId) {
        for (TransactionLedger l : transactions) {
            if (l.context().txId().equals(txId)) {
                return l;
            }
        }
        return null;
    }

    /** Orders of ended transactions that the journal has working or UNKNOWN, oldest transaction first. */
    public List<LiveOrder> orders() {
        List<LiveOrder> live = new ArrayList<>();
        for (TransactionLedger l : transactions) {
            if (!l.view().isTerminal()) {
                continue;
            }
            for (OrderTrack t : l.view().orders()) {
                if (t.state().isLive() || t.state() == OrderState.UNKNOWN) {
                    live.add(new LiveOrder(l, t.clientOrderId()));
                }
            }
        }
        return live;
    }

    /**
     * Looks each of {@link #orders()} up at the broker once ({@link OrderExecutor#refresh}: only forward changes are
     * journaled, into the order's own transaction's stream; a failed lookup changes nothing). An UNKNOWN order is
     * resolved by lookup (law 3). No broker call when nothing is live.
     *
     * @return the orders whose journaled state or fill changed
     */
    public List<LiveOrder> sync(OrderExecutor executor) {
        List<LiveOrder> changed = new ArrayList<>();
        for (LiveOrder o : orders()) {
            OrderTrack before = o.track();
            OrderTrack after = executor.refresh(o.owner(), o.clientOrderId());
            if (after.state() != before.state() || after.filledQuantity().compareTo(before.filledQuantity()) != 0) {
                changed.add(o);
            }
        }
        return changed;
    }

    /**
     * Records, in each scanned ended transaction whose last record does not say so already, what of it is left
     * working ({@link OrdersWorking}), on condition that its stream still ends where this scan read it: after a sync,
     * so the journal's index follows what the broker said, and {@link #scanWorking} reads none of them next time when
     * none holds anything.
     */
    public void declare(Instant at) {
        for (TransactionLedger l : transactions) {
            TransactionSummary indexed = summaries.get(l.context().txId());
            boolean said = l.view().saysWorking() && indexed != null && indexed.working() != null
                    && indexed.lastSequence() == l.view().lastSequence();
            if (l.view().isTerminal() && !said) {
                l.recordWorking(at);
            }
        }
    }

    /** The planted bug {@code staleWorkingNote}: a note from this scan's views, whatever was written since. */
    void declareBlindly(Instant at) {
        for (TransactionLedger l : transactions) {
            if (l.view().isTerminal()) {
                l.record(l.workingNote(at));
            }
        }
    }

    /** Scans the account's recent transactions and syncs their live orders: what a pre-flight does first. */
    public static List<LiveOrder> sync(Journal journal, OrderExecutor executor, String accountId) {
        return scanWorking(journal, accountId, DEFAULT_SCAN).sync(executor);
    }

    /**
     * The account check of the broker's account {@code first} against the journal, made so that a working order of an
     * ended transaction (a bracket's resting stop) that fills between the caller's sync of the working orders and its
     * read of the account makes no false mismatch: when the check disagrees, the working orders are synced again,
     * and if that journaled a change the account is read and checked again (at most three rounds). A disagreement
     * that survives a sync that found nothing new is real.
     */
    public static Checked check(Journal journal, OrderExecutor executor, String accountId, AccountSnapshot first) {
        var gateway = executor.gateway();
        AccountSnapshot snapshot = first;
        for (int round = 1; ; round++) {
            AccountCheck check = AccountCheck.compare(journal, accountId, snapshot,
                    gateway.read(gateway.broker()::openOrders));
            if (check.agrees() || round == 3 || sync(journal, executor, accountId).isEmpty()) {
                return new Checked(snapshot, check);
            }
            snapshot = gateway.read(gateway.broker()::account);
        }
    }

    /** The account as the broker reported it, and how it compared with the journal. */
    public record Checked(AccountSnapshot snapshot, AccountCheck check) {
    }
}
