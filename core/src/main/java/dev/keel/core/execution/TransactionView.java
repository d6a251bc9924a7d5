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
import dev.keel.core.journal.OrdersLinked;
import dev.keel.core.journal.OrdersUnlinked;
import dev.keel.core.journal.OrdersWorking;
import dev.keel.core.journal.PlanInputsRecorded;
import dev.keel.core.journal.ReconciliationRecorded;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionEvent;
import dev.keel.core.journal.TransactionResumed;
import dev.keel.core.journal.TransactionStarted;
import dev.keel.core.model.OrderState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    private long lastSequence;
    private final List<TransactionEvent> events = new ArrayList<>();
    /** Links not ended, by name: what {@link OrdersWorking} counts (the link rules read them from the events). */
    private final Set<String> liveLinks = new LinkedHashSet<>();
    /** What the last event said is working when it was an {@link OrdersWorking}; null after any other. */
    private Integer saidWorking;

    public static TransactionView fold(List<JournalRecord> records) {
        TransactionView view = new TransactionView();
        for (JournalRecord r : records) {
            if (r.event() instanceof TransactionEvent e) {
                view.apply(e);
            }
            view.lastSequence = r.sequence();
        }
        return view;
    }

    /**
     * The state of a transaction whose events cannot be folded (a bug once journaled an illegal move): nothing but
     * where its stream ends, so it can still be closed for review without the fold that fails.
     */
    public static TransactionView unreadable(List<JournalRecord> records) {
        TransactionView view = new TransactionView();
        view.lastSequence = records.isEmpty() ? 0 : records.getLast().sequence();
        return view;
    }

    /**
     * Throws what {@link #apply} would throw for {@code event} (an illegal move of an order's lifecycle), changing
     * nothing: checked before the event is journaled, so a bad event fails its writer instead of every later fold.
     */
    public void check(TransactionEvent event) {
        OrderTrack track = switch (event) {
            case OrderAttemptFailed e -> orders.get(e.clientOrderId());
            case OrderLookedUp e -> orders.get(e.clientOrderId());
            case OrderUpdated e -> orders.get(e.clientOrderId());
            case OrderFailed e -> orders.get(e.clientOrderId());
            default -> null;
        };
        if (track != null) {
            next(track, event);
        }
    }

    public void apply(TransactionEvent event) {
        events.add(event);
        saidWorking = null;
        if (event instanceof OrdersLinked l) {
            liveLinks.add(l.link());
        } else if (event instanceof OrdersUnlinked u) {
            liveLinks.remove(u.link());
        }
        switch (event) {
            case TransactionStarted e -> started = e;
            case OrderIntentRecorded e -> orders.put(e.clientOrderId(), OrderTrack.of(e));
            case OrderAttemptFailed e -> orders.computeIfPresent(e.clientOrderId(), (k, t) -> next(t, e));
            case OrderLookedUp e -> orders.computeIfPresent(e.clientOrderId(), (k, t) -> next(t, e));
            case OrderUpdated e -> orders.computeIfPresent(e.clientOrderId(), (k, t) -> next(t, e));
            case OrderFailed e -> orders.computeIfPresent(e.clientOrderId(), (k, t) -> next(t, e));
            case BuysSized e -> buysSized = e;
            case ReconciliationRecorded e -> reconciliation = e;
            case TransactionEnded e -> ended = e;
            case TransactionResumed e -> {
                resumes++;
                orders.replaceAll((k, t) -> t.resumedAt(e.at()));
            }
            case PlanInputsRecorded e -> planInputs = e;
            case OrderCancelRequested e -> orders.computeIfPresent(e.clientOrderId(), (k, t) -> t);
            case OrderCancelFailed e -> orders.computeIfPresent(e.clientOrderId(), (k, t) -> t);
            case OperationEvent e -> {
                // folded by dev.keel.core.ops.OperationView from events()
            }
            case OrdersWorking e -> saidWorking = e.working();
        }
    }

    /** Orders the journal has ACCEPTED, PARTIALLY_FILLED or UNKNOWN: ones the broker may hold. */
    public int workingOrders() {
        int n = 0;
        for (OrderTrack t : orders.values()) {
            if (t.state().isLive() || t.state() == OrderState.UNKNOWN) {
                n++;
            }
        }
        return n;
    }

    /** Protective links not ended by {@link OrdersUnlinked}. */
    public int liveLinks() {
        return liveLinks.size();
    }

    /** What an {@link OrdersWorking} written now would count: {@link #workingOrders} and {@link #liveLinks}. */
    public int working() {
        return workingOrders() + liveLinks();
    }

    /** Whether an {@link OrdersWorking} written now would say what its last record already says. */
    public boolean saysWorking() {
        return saidWorking != null && saidWorking == working();
    }

    /** A view folded from this one's events and then {@code more}, this one unchanged: what they would leave. */
    public TransactionView with(List<? extends TransactionEvent> more) {
        TransactionView copy = new TransactionView();
        events.forEach(copy::apply);
        more.forEach(copy::apply);
        copy.lastSequence = lastSequence;
        return copy;
    }

    private static OrderTrack next(OrderTrack track, TransactionEvent event) {
        return switch (event) {
            case OrderAttemptFailed e -> track.apply(e);
            case OrderLookedUp e -> track.apply(e);
            case OrderUpdated e -> track.apply(e);
            case OrderFailed e -> track.apply(e);
            default -> track;
        };
    }

    /** The journal sequence of the transaction's last record folded here; 0 before its first. */
    public long lastSequence() {
        return lastSequence;
    }

    /** The ledger's note that it wrote up to {@code sequence}. */
    void at(long sequence) {
        lastSequence = Math.max(lastSequence, sequence);
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
