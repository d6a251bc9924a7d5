package dev.keel.scenarios;

import dev.keel.core.journal.ForwardingJournal;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import java.util.List;

/**
 * A journal the engine process dies at: the {@code crashAt}-th append (one event or one atomic batch) is lost with
 * the process. Reads pass through. The crash is an Error, so no catch in the engine swallows it.
 */
final class CrashingAppends extends ForwardingJournal {
    private final int crashAt;
    private int appends;

    CrashingAppends(Journal delegate, int crashAt) {
        super(delegate);
        this.crashAt = crashAt;
    }

    @Override
    public JournalRecord append(JournalEvent event) {
        crashIfDue(event.getClass().getSimpleName());
        return super.append(event);
    }

    @Override
    public List<JournalRecord> appendAll(List<? extends JournalEvent> events) {
        crashIfDue(events.size() + " events");
        return super.appendAll(events);
    }

    /** Whether the process died. */
    boolean crashed() {
        return appends >= crashAt;
    }

    private void crashIfDue(String what) {
        if (++appends == crashAt) {
            throw new CrashingBroker.Crash("before append " + appends + " (" + what + ")");
        }
    }
}
