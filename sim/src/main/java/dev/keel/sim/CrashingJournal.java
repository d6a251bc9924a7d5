package dev.keel.sim;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.journal.TransactionSummary;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A journal the engine may die at: a crash before an append loses it (appended, not yet durable); a crash after it
 * keeps it though the engine never learned it was written. Reads pass through.
 */
final class CrashingJournal implements Journal {
    private final MemoryJournal delegate;
    private final CrashPlan crashes;

    CrashingJournal(MemoryJournal delegate, CrashPlan crashes) {
        this.delegate = delegate;
        this.crashes = crashes;
    }

    @Override
    public JournalRecord append(JournalEvent event) {
        crashes.before("append " + event.getClass().getSimpleName());
        failIfPlanned();
        JournalRecord r = delegate.append(event);
        crashes.after("append " + event.getClass().getSimpleName());
        return r;
    }

    @Override
    public List<JournalRecord> appendAll(List<? extends JournalEvent> events) {
        crashes.before("append " + events.size() + " events");
        failIfPlanned();
        List<JournalRecord> r = delegate.appendAll(events);
        crashes.after("append " + events.size() + " events");
        return r;
    }

    private void failIfPlanned() {
        if (crashes.journalFails()) {
            throw new KeelException(ErrorCode.JOURNAL_WRITE_FAILED, "simulated disk full: the append was refused");
        }
    }

    @Override
    public void replay(long afterSequence, Consumer<JournalRecord> sink) {
        delegate.replay(afterSequence, sink);
    }

    @Override
    public List<JournalRecord> stream(String streamId) {
        return delegate.stream(streamId);
    }

    @Override
    public List<String> openStreams(String streamKind) {
        return delegate.openStreams(streamKind);
    }

    @Override
    public List<TransactionSummary> recentTransactions(int limit, String accountId) {
        return delegate.recentTransactions(limit, accountId);
    }

    @Override
    public Optional<TransactionSummary> transaction(String txId) {
        return delegate.transaction(txId);
    }

    @Override
    public long lastSequence() {
        return delegate.lastSequence();
    }

    @Override
    public ArchiveResult archive(Instant cutoff, Path archiveDir) {
        return delegate.archive(cutoff, archiveDir);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
