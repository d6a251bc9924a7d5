package dev.keel.core.execution;

import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.OrdersWorking;
import dev.keel.core.journal.StreamMovedException;
import dev.keel.core.journal.StreamPosition;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes a transaction's events: checked against its {@link TransactionView} first (an illegal move of an order's
 * lifecycle fails the writer, not every later fold), durable in the journal next, then folded into the view. The
 * view therefore never holds a fact the journal could lose, with one exception: a broker's answer given to
 * {@link #recordSoon}, which waits in the view for the next append and is written with it (a crash loses it as it
 * would lose an answer not yet recorded; a lookup learns it again). One per transaction being driven.
 */
public final class TransactionLedger {
    private final Journal journal;
    private final OperationContext context;
    private TransactionView view;
    /** Answers of {@link #recordSoon} in the view, to be written with the next append. */
    private final List<TransactionEvent> unwritten = new ArrayList<>();

    public TransactionLedger(Journal journal, OperationContext context, TransactionView view) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.context = Objects.requireNonNull(context, "context");
        this.view = Objects.requireNonNull(view, "view");
    }

    public void record(TransactionEvent event) {
        recordAll(List.of(event));
    }

    /** Appends atomically, e.g. a terminal state together with its notification (law 8). */
    public void recordAll(List<? extends JournalEvent> events) {
        recordAll(events, List.of());
    }

    /**
     * Appends atomically only if every stream in {@code expected} still ends where it was read (see
     * {@link Journal#appendAll(List, List)}); {@link #position()} is this transaction's. Returns the records written,
     * the events given and whatever the ledger wrote with them.
     */
    public List<JournalRecord> recordAll(List<? extends JournalEvent> events, List<StreamPosition> expected) {
        List<TransactionEvent> own = new ArrayList<>();
        for (JournalEvent e : events) {
            if (e instanceof TransactionEvent te && te.txId().equals(context.txId())) {
                view.check(te);
                own.add(te);
            }
        }
        List<JournalEvent> all = new ArrayList<>(unwritten);
        all.addAll(events);
        OrdersWorking working = workingAtEnd(own);
        if (working != null) {
            own.add(working);
            all.add(working);
        }
        List<JournalRecord> written;
        try {
            written = journal.appendAll(all, expected);
        } catch (RuntimeException e) {
            forgetUnwritten(e);
            throw e;
        }
        unwritten.clear();
        own.forEach(view::apply);
        for (JournalRecord r : written) {
            if (r.event().streamId().equals(context.txId())) {
                view.at(r.sequence());
            }
        }
        return written;
    }

    /**
     * What of the transaction is left working when {@code own} ends it (its last record then, so the journal's index
     * says whether the protection watch and the account check need to read it); null when {@code own} does not end it.
     */
    private OrdersWorking workingAtEnd(List<TransactionEvent> own) {
        TransactionEnded ended = null;
        for (TransactionEvent e : own) {
            if (e instanceof TransactionEnded te) {
                ended = te;
            }
        }
        if (ended == null) {
            return null;
        }
        return note(view.with(own), ended.at());
    }

    /** What this ledger's view has working now, as the note that would say so. */
    public OrdersWorking workingNote(Instant at) {
        return note(view, at);
    }

    private OrdersWorking note(TransactionView v, Instant at) {
        return new OrdersWorking(context.txId(), context.accountId(), v.workingOrders(), v.liveLinks(), at);
    }

    /**
     * Records what of this ended transaction is left working: the protection watch's note after it synced the
     * transaction's orders, when the journal's index did not say so already, so the index follows what it found.
     * Written on condition that the stream still ends where this ledger saw it ({@link StreamMovedException}
     * otherwise): a note made from a view that missed a record could hide a live order.
     */
    public void recordWorking(Instant at) {
        if (view.isTerminal()) {
            recordAll(List.of(workingNote(at)), List.of(position()));
        }
    }

    /**
     * Records a broker's answer in the view now and in the journal with the next append this ledger makes (the next
     * order's intent, the buys' sizing, the ending), atomically with it: one commit less to wait for per order. Law 1
     * orders an intent before its submit, not an answer before the next intent; and as the two are written together,
     * nothing is ever journaled on the strength of an answer the journal lacks (law 5's buys sized on the sells'
     * fills). A crash before that append loses the answer as a crash before any record of it would: recovery finds
     * the order by its client order id (law 3). {@link #position()} writes what waits first.
     */
    public void recordSoon(TransactionEvent event) {
        if (!event.txId().equals(context.txId())) {
            throw new IllegalArgumentException(event.txId() + "'s event recorded in the ledger of " + context.txId());
        }
        view.check(event);
        view.apply(event);
        unwritten.add(event);
    }

    /** An append holding answers of {@link #recordSoon} failed: the view is folded again from the journal. */
    private void forgetUnwritten(RuntimeException failure) {
        if (unwritten.isEmpty()) {
            return;
        }
        unwritten.clear();
        try {
            view = TransactionView.fold(journal.stream(context.txId()));
        } catch (RuntimeException unread) {
            failure.addSuppressed(unread);
        }
    }

    private void writeUnwritten() {
        if (!unwritten.isEmpty()) {
            recordAll(List.of(), List.of());
        }
    }

    /** Where this transaction's stream ends as far as this ledger knows: the condition of its ending. */
    public StreamPosition position() {
        writeUnwritten();
        return new StreamPosition(context.txId(), view.lastSequence());
    }

    /** Folds the transaction again from the journal, for a writer that learned its view is behind. */
    public void reload() {
        writeUnwritten();
        view = TransactionView.fold(journal.stream(context.txId()));
    }

    public TransactionView view() {
        return view;
    }

    public OperationContext context() {
        return context;
    }

    /** The journal the ledger writes to, for reads beside the transaction's own (the account's trading state). */
    public Journal journal() {
        return journal;
    }
}
