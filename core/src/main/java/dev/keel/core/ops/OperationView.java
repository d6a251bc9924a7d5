package dev.keel.core.ops;

import dev.keel.core.execution.OrderTrack;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.DoubleFillDetected;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.OperationRequested;
import dev.keel.core.journal.OperationStateChanged;
import dev.keel.core.journal.OrderOutcomeRecorded;
import dev.keel.core.journal.OrderReferenced;
import dev.keel.core.journal.OrdersLinked;
import dev.keel.core.journal.OrdersUnlinked;
import dev.keel.core.journal.TransactionEvent;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OperationType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An order operation's state: the fold of its transaction's events ({@link TransactionView} holds its orders). Built
 * afresh from the view whenever a saga step reads it, so it never drifts from the journal.
 *
 * <p>The fold enforces the operation's transition table and the link rules: a link joins two distinct orders of this
 * transaction, neither in another live link, and is ended at most once. A journal that breaks them fails the fold
 * with {@link IllegalStateException}; the saga never writes such a history.
 */
public final class OperationView {
    private final TransactionView tx;
    private OperationRequested request;
    private OperationState state;
    private final List<OperationStateChanged> moves = new ArrayList<>();
    private final Map<String, OrdersLinked> links = new LinkedHashMap<>();
    private final Map<String, OrdersUnlinked> unlinked = new LinkedHashMap<>();
    private final Map<String, OrderReferenced> references = new LinkedHashMap<>();
    private final Map<String, OrderOutcomeRecorded> outcomes = new LinkedHashMap<>();
    private final List<DoubleFillDetected> doubleFills = new ArrayList<>();

    private OperationView(TransactionView tx) {
        this.tx = tx;
        for (TransactionEvent e : tx.events()) {
            switch (e) {
                case OperationRequested r -> request = r;
                case OperationStateChanged c -> move(c);
                case OrdersLinked l -> link(l);
                case OrdersUnlinked u -> unlink(u);
                case OrderReferenced r -> references.putIfAbsent(r.clientOrderId(), r);
                case OrderOutcomeRecorded o -> outcomes.put(o.clientOrderId(), o);
                case DoubleFillDetected d -> doubleFills.add(d);
                default -> {
                    // orders and the transaction's own events are folded by TransactionView
                }
            }
        }
    }

    public static OperationView of(TransactionView tx) {
        return new OperationView(tx);
    }

    public static OperationView fold(List<JournalRecord> records) {
        return new OperationView(TransactionView.fold(records));
    }

    private void move(OperationStateChanged c) {
        if (state == null) {
            if (c.to() != OperationState.PENDING) {
                throw new IllegalStateException("an operation starts PENDING, but " + c.txId() + " starts " + c.to());
            }
        } else {
            state.moveTo(c.to());
        }
        state = c.to();
        moves.add(c);
    }

    private void link(OrdersLinked l) {
        if (l.takeProfitOrderId().equals(l.stopLossOrderId())) {
            throw new IllegalStateException("link " + l.link() + " joins " + l.takeProfitOrderId() + " to itself");
        }
        if (links.containsKey(l.link())) {
            throw new IllegalStateException("link " + l.link() + " is linked twice");
        }
        for (OrdersLinked live : liveLinks()) {
            Set<String> taken = Set.of(live.takeProfitOrderId(), live.stopLossOrderId());
            if (taken.contains(l.takeProfitOrderId()) || taken.contains(l.stopLossOrderId())) {
                throw new IllegalStateException("link " + l.link() + " takes an order of live link " + live.link());
            }
        }
        links.put(l.link(), l);
    }

    private void unlink(OrdersUnlinked u) {
        if (!links.containsKey(u.link()) || unlinked.containsKey(u.link())) {
            throw new IllegalStateException("unlink of " + u.link() + ", which is not a live link");
        }
        unlinked.put(u.link(), u);
    }

    public TransactionView transaction() {
        return tx;
    }

    public String txId() {
        return request == null ? null : request.txId();
    }

    public OperationRequested request() {
        return request;
    }

    public OperationType type() {
        return request == null ? null : request.type();
    }

    public OperationParams params() {
        return request == null ? null : request.params();
    }

    /** The current state; null before the request is journaled. */
    public OperationState state() {
        return state;
    }

    public List<OperationStateChanged> moves() {
        return List.copyOf(moves);
    }

    public OrderTrack order(String clientOrderId) {
        return tx.order(clientOrderId);
    }

    public List<OrderTrack> orders() {
        return tx.orders();
    }

    /** Every link ever made, in order. */
    public List<OrdersLinked> links() {
        return List.copyOf(links.values());
    }

    /** Links not ended by {@link OrdersUnlinked}. */
    public List<OrdersLinked> liveLinks() {
        return links.values().stream().filter(l -> !unlinked.containsKey(l.link())).toList();
    }

    public boolean isUnlinked(String link) {
        return unlinked.containsKey(link);
    }

    /** The live link an order is a leg of, or null. */
    public OrdersLinked liveLinkOf(String clientOrderId) {
        for (OrdersLinked l : liveLinks()) {
            if (l.takeProfitOrderId().equals(clientOrderId) || l.stopLossOrderId().equals(clientOrderId)) {
                return l;
            }
        }
        return null;
    }

    /** Orders of other transactions (or unknown to the journal) the operation acts on, by client order id. */
    public List<OrderReferenced> references() {
        return List.copyOf(references.values());
    }

    public OrderReferenced reference(String clientOrderId) {
        return references.get(clientOrderId);
    }

    /** The last result recorded per order, in the order first recorded. */
    public List<OrderOutcomeRecorded> outcomes() {
        return List.copyOf(outcomes.values());
    }

    public OrderOutcomeRecorded outcome(String clientOrderId) {
        return outcomes.get(clientOrderId);
    }

    public List<DoubleFillDetected> doubleFills() {
        return List.copyOf(doubleFills);
    }

    public boolean isTerminal() {
        return tx.isTerminal();
    }
}
