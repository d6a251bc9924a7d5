package dev.keel.sim;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.journal.ForwardingJournal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.StreamPosition;
import dev.keel.core.journal.MemoryJournal;
import java.util.List;

/**
 * A journal the engine may die at: a crash before an append loses it (appended, not yet durable); a crash after it
 * keeps it though the engine never learned it was written. Reads pass through.
 */
final class CrashingJournal extends ForwardingJournal {
    private final CrashPlan crashes;

    CrashingJournal(MemoryJournal delegate, CrashPlan crashes) {
        super(delegate);
        this.crashes = crashes;
    }

    @Override
    public JournalRecord append(JournalEvent event) {
        crashes.before("append " + event.getClass().getSimpleName());
        failIfPlanned();
        JournalRecord r = super.append(event);
        crashes.after("append " + event.getClass().getSimpleName());
        return r;
    }

    @Override
    public List<JournalRecord> appendAll(List<? extends JournalEvent> events, List<StreamPosition> expected) {
        crashes.before("append " + events.size() + " events");
        failIfPlanned();
        List<JournalRecord> r = super.appendAll(events, expected);
        crashes.after("append " + events.size() + " events");
        return r;
    }

    private void failIfPlanned() {
        if (crashes.journalFails()) {
            throw new KeelException(ErrorCode.JOURNAL_WRITE_FAILED, "simulated disk full: the append was refused");
        }
    }
}
