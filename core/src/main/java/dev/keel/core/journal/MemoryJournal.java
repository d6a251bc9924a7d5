package dev.keel.core.journal;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.model.TransactionStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link Journal} kept in memory, for unit tests and the deterministic simulation: same semantics as the stores,
 * no durability. Thread-safe (one lock).
 *
 * <p>{@link #archive} moves the records into an in-memory archive ({@link #archived()}) and returns a result whose
 * {@code file} is null: nothing is written to disk. {@link #reopen()} stands for a restart: a new journal with what
 * this one held. {@link #failWrites(boolean)} makes appends fail as a full disk would.
 */
public final class MemoryJournal implements Journal {
    private final Object lock = new Object();
    private final List<JournalRecord> records = new ArrayList<>();
    private final List<JournalRecord> archived = new ArrayList<>();
    /** The live records by stream, so reading one stream does not scan the whole journal (an outbox of thousands). */
    private final Map<String, List<JournalRecord>> byStream = new java.util.HashMap<>();
    /** Stream id to its view row, in the order streams were opened. */
    private final Map<String, StreamRow> streams = new LinkedHashMap<>();
    private long lastSequence;
    /** Each account's lease epoch ({@link #takeLease}); guarded by the lock. */
    private final Map<String, Long> epochs = new java.util.HashMap<>();
    private boolean failing;
    private boolean closed;

    public MemoryJournal() {
    }

    private MemoryJournal(MemoryJournal source) {
        records.addAll(source.records);
        source.byStream.forEach((id, list) -> byStream.put(id, new ArrayList<>(list)));
        archived.addAll(source.archived);
        source.streams.forEach((id, row) -> streams.put(id, row.copy()));
        lastSequence = source.lastSequence;
        epochs.putAll(source.epochs);
    }

    /** A new journal holding what this one holds, as a restarted engine would find it; this one is untouched. */
    public MemoryJournal reopen() {
        synchronized (lock) {
            return new MemoryJournal(this);
        }
    }

    /** While {@code failing}, every append fails with {@code JOURNAL_WRITE_FAILED} and writes nothing. */
    public void failWrites(boolean failing) {
        synchronized (lock) {
            this.failing = failing;
        }
    }

    /** Every live record, in order. */
    public List<JournalRecord> all() {
        synchronized (lock) {
            return List.copyOf(records);
        }
    }

    /** Every record moved out by {@link #archive}, in order. */
    public List<JournalRecord> archived() {
        synchronized (lock) {
            return List.copyOf(archived);
        }
    }

    @Override
    public JournalRecord append(JournalEvent event) {
        return appendAll(List.of(event)).getFirst();
    }

    @Override
    public List<JournalRecord> appendAll(List<? extends JournalEvent> events) {
        return appendAll(events, List.of(), null);
    }

    @Override
    public long takeLease(String accountId) {
        Objects.requireNonNull(accountId, "accountId");
        synchronized (lock) {
            return epochs.merge(accountId, 1L, Long::sum);
        }
    }

    @Override
    public List<JournalRecord> appendAll(List<? extends JournalEvent> events, List<StreamPosition> expected,
                                         Fence fence) {
        List<JournalEvent> checked = new ArrayList<>(events.size());
        for (JournalEvent event : events) {
            checked.add(Objects.requireNonNull(event, "event"));
        }
        synchronized (lock) {
            if (closed) {
                throw new KeelException(ErrorCode.JOURNAL_WRITE_FAILED, "the journal is closed");
            }
            if (failing) {
                throw new KeelException(ErrorCode.JOURNAL_WRITE_FAILED, "journal writes are failing (simulated)");
            }
            if (fence != null) {
                long current = epochs.getOrDefault(fence.accountId(), 0L);
                if (current != fence.epoch()) {
                    throw new LeaseLostException(fence, current);
                }
            }
            for (StreamPosition position : expected) {
                StreamRow row = streams.get(position.streamId());
                long actual = row == null ? 0 : row.lastSequence;
                if (actual != position.lastSequence()) {
                    throw new StreamMovedException(position, actual);
                }
            }
            List<JournalRecord> written = new ArrayList<>(checked.size());
            for (JournalEvent event : checked) {
                JournalRecord record = new JournalRecord(++lastSequence, event);
                records.add(record);
                byStream.computeIfAbsent(event.streamId(), id -> new ArrayList<>()).add(record);
                streams.computeIfAbsent(event.streamId(), id -> new StreamRow(id, event, record.sequence())).apply(event, record.sequence());
                written.add(record);
            }
            return List.copyOf(written);
        }
    }

    @Override
    public void replay(long afterSequence, Consumer<JournalRecord> sink) {
        List<JournalRecord> copy;
        synchronized (lock) {
            copy = List.copyOf(records);
        }
        copy.stream().filter(r -> r.sequence() > afterSequence).forEach(sink);
    }

    @Override
    public List<JournalRecord> stream(String streamId) {
        synchronized (lock) {
            return List.copyOf(byStream.getOrDefault(streamId, List.of()));
        }
    }

    @Override
    public List<String> openStreams(String streamKind) {
        synchronized (lock) {
            return streams.entrySet().stream()
                    .filter(e -> e.getValue().kind.equals(streamKind) && !e.getValue().closed)
                    .map(Map.Entry::getKey)
                    .toList();
        }
    }

    @Override
    public List<StreamPosition> openStreamEnds(String streamKind) {
        synchronized (lock) {
            return streams.entrySet().stream()
                    .filter(e -> e.getValue().kind.equals(streamKind) && !e.getValue().closed)
                    .map(e -> new StreamPosition(e.getKey(), e.getValue().lastSequence))
                    .toList();
        }
    }

    @Override
    public List<String> openStreams(String streamKind, String accountId) {
        synchronized (lock) {
            return streams.entrySet().stream()
                    .filter(e -> e.getValue().kind.equals(streamKind) && !e.getValue().closed
                            && accountId.equals(e.getValue().accountId))
                    .map(Map.Entry::getKey)
                    .toList();
        }
    }

    @Override
    public List<TransactionSummary> recentTransactions(int limit, String accountId) {
        synchronized (lock) {
            return streams.values().stream()
                    .filter(row -> row.kind.equals(JournalEvent.TRANSACTION))
                    .filter(row -> accountId == null || accountId.equals(row.accountId))
                    .sorted(Comparator.comparingLong((StreamRow row) -> row.firstSequence).reversed())
                    .limit(limit)
                    .map(StreamRow::summary)
                    .toList();
        }
    }

    @Override
    public Optional<TransactionSummary> transaction(String txId) {
        synchronized (lock) {
            StreamRow row = streams.get(txId);
            return row == null || !row.kind.equals(JournalEvent.TRANSACTION)
                    ? Optional.empty() : Optional.of(row.summary());
        }
    }

    @Override
    public long lastSequence() {
        synchronized (lock) {
            return lastSequence;
        }
    }

    @Override
    public ArchiveResult archive(Instant cutoff, Path archiveDir) {
        synchronized (lock) {
            Set<String> moving = new HashSet<>();
            streams.forEach((id, row) -> {
                if (row.kind.equals(JournalEvent.TRANSACTION) && row.closed && row.closedAt.isBefore(cutoff)) {
                    moving.add(id);
                }
            });
            if (moving.isEmpty()) {
                return new ArchiveResult(null, 0, 0);
            }
            List<JournalRecord> moved = records.stream().filter(r -> moving.contains(r.event().streamId())).toList();
            archived.addAll(moved);
            records.removeAll(moved);
            byStream.keySet().removeAll(moving);
            streams.keySet().removeAll(moving);
            return new ArchiveResult(null, moving.size(), moved.size());
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
    }

    /** One stream's view row, folded from its events as the stores fold theirs. */
    private static final class StreamRow {
        final String id;
        final String kind;
        final long firstSequence;
        long lastSequence;
        String accountId;
        String operation;
        TransactionStatus status;
        Instant openedAt;
        Instant closedAt;
        boolean closed;
        String errorMessage;
        Integer working;

        StreamRow(String id, JournalEvent first, long firstSequence) {
            this.id = id;
            this.kind = first.streamKind();
            this.firstSequence = firstSequence;
            this.openedAt = first.at();
            this.status = kind.equals(JournalEvent.TRANSACTION) ? TransactionStatus.IN_PROGRESS : null;
        }

        private StreamRow(StreamRow other) {
            id = other.id;
            kind = other.kind;
            firstSequence = other.firstSequence;
            lastSequence = other.lastSequence;
            accountId = other.accountId;
            operation = other.operation;
            status = other.status;
            openedAt = other.openedAt;
            closedAt = other.closedAt;
            closed = other.closed;
            errorMessage = other.errorMessage;
            working = other.working;
        }

        StreamRow copy() {
            return new StreamRow(this);
        }

        void apply(JournalEvent event, long sequence) {
            lastSequence = sequence;
            working = event instanceof OrdersWorking w ? Integer.valueOf(w.working()) : null;
            if (accountId == null) {
                accountId = event.accountId();
            }
            if (event instanceof TransactionStarted started) {
                operation = started.operation();
                openedAt = started.at();
            }
            if (event instanceof TransactionEnded ended) {
                status = ended.status();
                errorMessage = ended.errorMessage();
            }
            if (event.closesStream()) {
                closed = true;
                closedAt = event.at();
            }
        }

        TransactionSummary summary() {
            return new TransactionSummary(id, accountId, operation, status, openedAt, closedAt, errorMessage,
                    lastSequence, working);
        }
    }
}
