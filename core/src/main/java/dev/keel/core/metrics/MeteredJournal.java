package dev.keel.core.metrics;

import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.TransactionSummary;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/** A journal that counts every event once it is durable: metrics without a line of metrics code in the engine. */
public final class MeteredJournal implements Journal {
    private final Journal delegate;
    private final KeelMetrics metrics;

    public MeteredJournal(Journal delegate, KeelMetrics metrics) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public JournalRecord append(JournalEvent event) {
        JournalRecord r = delegate.append(event);
        metrics.observe(event);
        return r;
    }

    @Override
    public List<JournalRecord> appendAll(List<? extends JournalEvent> events) {
        List<JournalRecord> records = delegate.appendAll(events);
        events.forEach(metrics::observe);
        return records;
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
