package dev.keel.core.notify;

import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.StreamMovedException;
import dev.keel.core.journal.StreamPosition;
import dev.keel.core.journal.TransactionSummary;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A test-only {@link Journal} over a list of records: enough for the outbox tests. To be replaced by the real
 * MemoryJournal once it lands.
 */
final class ListJournal implements Journal {
    private final List<JournalRecord> records = new ArrayList<>();

    @Override
    public synchronized JournalRecord append(JournalEvent event) {
        JournalRecord record = new JournalRecord(records.size() + 1L, event);
        records.add(record);
        return record;
    }

    @Override
    public synchronized List<JournalRecord> appendAll(List<? extends JournalEvent> events) {
        return events.stream().map(this::append).toList();
    }

    @Override
    public synchronized List<JournalRecord> appendAll(List<? extends JournalEvent> events,
                                                      List<StreamPosition> expected,
                                                      dev.keel.core.journal.Fence fence) {
        if (fence != null) {
            throw new UnsupportedOperationException("ListJournal keeps no leases");
        }
        for (StreamPosition position : expected) {
            long actual = StreamPosition.of(position.streamId(), stream(position.streamId())).lastSequence();
            if (actual != position.lastSequence()) {
                throw new StreamMovedException(position, actual);
            }
        }
        return appendAll(events);
    }

    @Override
    public synchronized void replay(long afterSequence, Consumer<JournalRecord> sink) {
        records.stream().filter(r -> r.sequence() > afterSequence).forEach(sink);
    }

    @Override
    public synchronized List<JournalRecord> stream(String streamId) {
        return records.stream().filter(r -> r.event().streamId().equals(streamId)).toList();
    }

    @Override
    public synchronized List<String> openStreams(String streamKind) {
        Set<String> open = new LinkedHashSet<>();
        for (JournalRecord r : records) {
            if (r.event().streamKind().equals(streamKind)) {
                if (r.event().closesStream()) {
                    open.remove(r.event().streamId());
                } else {
                    open.add(r.event().streamId());
                }
            }
        }
        return List.copyOf(open);
    }

    @Override
    public List<TransactionSummary> recentTransactions(int limit, String accountId) {
        return List.of();
    }

    @Override
    public Optional<TransactionSummary> transaction(String txId) {
        return Optional.empty();
    }

    @Override
    public synchronized long lastSequence() {
        return records.size();
    }

    @Override
    public ArchiveResult archive(Instant cutoff, Path archiveDir) {
        throw new UnsupportedOperationException("ListJournal does not archive");
    }

    @Override
    public void close() {
    }

    /** Every event, in order. */
    synchronized List<JournalEvent> events() {
        return records.stream().map(JournalRecord::event).toList();
    }
}
