package dev.keel.core.execution;

import dev.keel.core.journal.BuysSized;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.OperationEvent;
import dev.keel.core.journal.OrderAttemptFailed;
import dev.keel.core.journal.OrderCancelFailed;
import dev.keel.core.journal.OrderCancelRequested;
import dev.keel.core.journal.OrderFailed;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.OrderLookedUp;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.journal.PlanInputsRecorded;
import dev.keel.core.journal.ReconciliationRecorded;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionEvent;
import dev.keel.core.journal.TransactionResumed;
import dev.keel.core.journal.TransactionStarted;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A transaction's state: the fold of its events. A restarted engine rebuilds it from the journal alone and resumes
 * exactly where the transaction stood. Mutable, confined to the thread that drives the transaction.
 */
public final class TransactionView {
    private TransactionStarted started;
    private PlanInputsRecorded planInputs;
    private final Map<String, OrderTrack> orders = new LinkedHashMap<>();
    private BuysSized buysSized;
    private ReconciliationRecorded reconciliation;
    private TransactionEnded ended;
    private int resumes;
    private final List<TransactionEvent> events = new ArrayList<>();

    public static TransactionView fold(List<JournalRecord> records) {
        TransactionView view = new TransactionView();
        for (JournalRecord r : records) {
            if (r.event() instanceof TransactionEvent e) {
                view.apply(e);
            }
        }
        return view;
    }

    public void apply(TransactionEvent event) {
        events.add(event);
        switch (event) {
            case TransactionStarted e -> started = e;
            case OrderIntentRecorded e -> orders.put(e.clientOrderId(), OrderTrack.of(e));
            case OrderAttemptFailed e -> orders.computeIfPresent(e.clientOrderId(), (k, t) -> t.apply(e));
            case OrderLookedUp e -> orders.computeIfPresent(e.clientOrderId(), (k, t) -> t.apply(e));
            case OrderUpdated e -> orders.computeIfPresent(e.clientOrderId(), (k, t) -> t.apply(e));
            case OrderFailed e -> orders.computeIfPresent(e.clientOrderId(), (k, t) -> t.apply(e));
            case BuysSized e -> buysSized = e;
            case ReconciliationRecorded e -> reconciliation = e;
            case TransactionEnded e -> ended = e;
            case TransactionResumed e -> resumes++;
            case PlanInputsRecorded e -> planInputs = e;
            case OrderCancelRequested e -> orders.computeIfPresent(e.clientOrderId(), (k, t) -> t);
            case OrderCancelFailed e -> orders.computeIfPresent(e.clientOrderId(), (k, t) -> t);
            case OperationEvent e -> {
                // folded by dev.keel.core.ops.OperationView from events()
            }
        }
    }

    public TransactionStarted started() {
        return started;
    }

    /** What the plan was computed from; null for a transaction journaled before it was recorded, or aborted. */
    public PlanInputsRecorded planInputs() {
        return planInputs;
    }

    public OrderTrack order(String clientOrderId) {
        return orders.get(clientOrderId);
    }

    /** Every order intent of the transaction, in the order they were recorded. */
    public List<OrderTrack> orders() {
        return List.copyOf(orders.values());
    }

    public BuysSized buysSized() {
        return buysSized;
    }

    public ReconciliationRecorded reconciliation() {
        return reconciliation;
    }

    public TransactionEnded ended() {
        return ended;
    }

    public int resumes() {
        return resumes;
    }

    public boolean isTerminal() {
        return ended != null;
    }

    /** The events folded so far, in order. */
    public List<TransactionEvent> events() {
        return Collections.unmodifiableList(events);
    }
}
