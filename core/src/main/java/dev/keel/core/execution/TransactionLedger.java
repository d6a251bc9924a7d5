package dev.keel.core.execution;

import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.TransactionEvent;
import java.util.List;
import java.util.Objects;

/**
 * Writes a transaction's events: durable in the journal first, then folded into its {@link TransactionView}. The
 * view therefore never holds a fact the journal could lose. One per transaction being driven.
 */
public final class TransactionLedger {
    private final Journal journal;
    private final OperationContext context;
    private final TransactionView view;

    public TransactionLedger(Journal journal, OperationContext context, TransactionView view) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.context = Objects.requireNonNull(context, "context");
        this.view = Objects.requireNonNull(view, "view");
    }

    public void record(TransactionEvent event) {
        journal.append(event);
        view.apply(event);
    }

    /** Appends atomically, e.g. a terminal state together with its notification (law 8). */
    public void recordAll(List<? extends JournalEvent> events) {
        journal.appendAll(events);
        for (JournalEvent e : events) {
            if (e instanceof TransactionEvent te && te.txId().equals(context.txId())) {
                view.apply(te);
            }
        }
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
