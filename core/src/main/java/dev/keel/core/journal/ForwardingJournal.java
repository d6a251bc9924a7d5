package dev.keel.core.journal;

import dev.keel.core.model.TransactionStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A journal that passes every call to another: decorators (metrics, the simulation's crash points) extend it and
 * override only what they change.
 */
public abstract class ForwardingJournal implements Journal {
    private final Journal delegate;

    protected ForwardingJournal(Journal delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    protected Journal delegate() {
        return delegate;
    }

    @Override
    public JournalRecord append(JournalEvent event) {
        return delegate.append(event);
    }

    /** Goes through {@link #appendAll(List, List, Fence)}, so a decorator overrides that one alone. */
    @Override
    public final List<JournalRecord> appendAll(List<? extends JournalEvent> events) {
        return appendAll(events, List.of(), null);
    }

    /** Goes through {@link #appendAll(List, List, Fence)}, so a decorator overrides that one alone. */
    @Override
    public final List<JournalRecord> appendAll(List<? extends JournalEvent> events, List<StreamPosition> expected) {
        return appendAll(events, expected, null);
    }

    @Override
    public List<JournalRecord> appendAll(List<? extends JournalEvent> events, List<StreamPosition> expected,
                                         Fence fence) {
        return delegate.appendAll(events, expected, fence);
    }

    @Override
    public long takeLease(String accountId) {
        return delegate.takeLease(accountId);
    }

    @Override
    public void replay(long afterSequence, Consumer<JournalRecord> sink) {
        delegate.replay(afterSequence, sink);
    }

    @Override
    public void replay(long afterSequence, Set<Class<? extends JournalEvent>> types,
                       Consumer<JournalRecord> sink) {
        delegate.replay(afterSequence, types, sink);
    }

    @Override
    public long sequenceBefore(java.time.Instant at) {
        return delegate.sequenceBefore(at);
    }

    @Override
    public Tallies.Window tallies(java.time.Instant from) {
        return delegate.tallies(from);
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
    public List<String> openStreams(String streamKind, String accountId) {
        return delegate.openStreams(streamKind, accountId);
    }

    @Override
    public List<StreamPosition> openStreamEnds(String streamKind) {
        return delegate.openStreamEnds(streamKind);
    }

    @Override
    public Map<String, String> openStreamAccounts(String streamKind) {
        return delegate.openStreamAccounts(streamKind);
    }

    @Override
    public List<TransactionSummary> recentTransactions(int limit, String accountId) {
        return delegate.recentTransactions(limit, accountId);
    }

    @Override
    public List<TransactionSummary> recentTransactions(int limit, String accountId, Set<String> operations) {
        return delegate.recentTransactions(limit, accountId, operations);
    }

    @Override
    public List<TransactionSummary> recentTransactions(int limit, String accountId, TransactionStatus status) {
        return delegate.recentTransactions(limit, accountId, status);
    }

    @Override
    public Optional<TransactionSummary> transaction(String txId) {
        return delegate.transaction(txId);
    }

    @Override
    public List<TransactionSummary> correlated(String correlationId) {
        return delegate.correlated(correlationId);
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
