package dev.keel.scenarios;

import dev.keel.core.journal.ForwardingJournal;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.StreamPosition;
import java.util.List;

/**
 * The engine process dies just before its {@code crashAt}-th journal append (an atomic batch counts once): that append
 * is lost, everything before it is durable. Reads pass through. Counting from 1 over a whole run, every gap between
 * two durable steps is a crash point.
 */
final class CrashingAppends extends ForwardingJournal {
    private final int crashAt;
    private int appends;

    CrashingAppends(Journal delegate, int crashAt) {
        super(delegate);
        this.crashAt = crashAt;
    }

    /** Whether the crash happened: false means the run appended fewer than {@code crashAt} times. */
    boolean crashed() {
        return appends >= crashAt;
    }

    @Override
    public JournalRecord append(JournalEvent event) {
        beforeAppend(event.getClass().getSimpleName());
        return super.append(event);
    }

    @Override
    public List<JournalRecord> appendAll(List<? extends JournalEvent> events, List<StreamPosition> expected,
                                         dev.keel.core.journal.Fence fence) {
        beforeAppend(events.size() + " events");
        return super.appendAll(events, expected, fence);
    }

    private void beforeAppend(String what) {
        if (++appends == crashAt) {
            throw new CrashingBroker.Crash("before append " + appends + " (" + what + ")");
        }
    }
}
