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
 * One engine process's view of the journal, where the process may die: a crash before an append loses it (appended,
 * not yet durable); a crash after it keeps it though the engine never learned it was written. Before every append
 * is a scheduling point, where another caller may run first. Reads pass through.
 */
final class CrashingJournal extends ForwardingJournal {
    private final CrashPlan crashes;
    private final SimProcess process;
    private final Scheduler scheduler;
    /** Told of every append that landed, to judge who wrote it. */
    private final java.util.function.Consumer<List<? extends JournalEvent>> written;

    CrashingJournal(MemoryJournal delegate, CrashPlan crashes, SimProcess process, Scheduler scheduler,
                    java.util.function.Consumer<List<? extends JournalEvent>> written) {
        super(delegate);
        this.crashes = crashes;
        this.process = process;
        this.scheduler = scheduler;
        this.written = written;
    }

    @Override
    public JournalRecord append(JournalEvent event) {
        scheduler.point();
        process.checkAlive();
        try {
            crashes.before("append " + event.getClass().getSimpleName());
            failIfPlanned();
            JournalRecord r = super.append(event);
            process.appended(List.of(event));
            written.accept(List.of(event));
            crashes.after("append " + event.getClass().getSimpleName());
            return r;
        } catch (SimCrash crash) {
            process.die(crash.getMessage());
            throw crash;
        }
    }

    @Override
    public List<JournalRecord> appendAll(List<? extends JournalEvent> events, List<StreamPosition> expected,
                                         dev.keel.core.journal.Fence fence) {
        scheduler.point();
        process.checkAlive();
        try {
            crashes.before("append " + events.size() + " events");
            failIfPlanned();
            List<JournalRecord> r = super.appendAll(events, expected, fence);
            process.appended(events);
            written.accept(events);
            crashes.after("append " + events.size() + " events");
            return r;
        } catch (SimCrash crash) {
            process.die(crash.getMessage());
            throw crash;
        }
    }

    private void failIfPlanned() {
        if (crashes.journalFails()) {
            throw new KeelException(ErrorCode.JOURNAL_WRITE_FAILED, "simulated disk full: the append was refused");
        }
    }
}
