package dev.keel.core.execution;

import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.StreamPosition;
import dev.keel.core.journal.TransactionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes a transaction's events: checked against its {@link TransactionView} first (an illegal move of an order's
 * lifecycle fails the writer, not every later fold), durable in the journal next, then folded into the view. The
 * view therefore never holds a fact the journal could lose. One per transaction being driven.
 */
public final class TransactionLedger {
    private final Journal journal;
    private final OperationContext context;
    private TransactionView view;

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
     * {@link Journal#appendAll(List, List)}); {@link #position()} is this transaction's.
     */
    public void recordAll(List<? extends JournalEvent> events, List<StreamPosition> expected) {
        List<TransactionEvent> own = new ArrayList<>();
        for (JournalEvent e : events) {
            if (e instanceof TransactionEvent te && te.txId().equals(context.txId())) {
                view.check(te);
                own.add(te);
            }
        }
        List<JournalRecord> written = journal.appendAll(events, expected);
        own.forEach(view::apply);
        for (JournalRecord r : written) {
            if (r.event().streamId().equals(context.txId())) {
                view.at(r.sequence());
            }
        }
    }

    /** Where this transaction's stream ends as far as this ledger knows: the condition of its ending. */
    public StreamPosition position() {
        return new StreamPosition(context.txId(), view.lastSequence());
    }

    /** Folds the transaction again from the journal, for a writer that learned its view is behind. */
    public void reload() {
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
