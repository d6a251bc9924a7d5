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
 * The append-only, checksummed event journal and the views kept beside it. Implementations: SQLite (embedded
 * default) and PostgreSQL (scale-out) in the {@code store} module; one contract test suite runs over both.
 *
 * <p>Writes fail with {@link dev.keel.core.error.KeelException} code {@code JOURNAL_WRITE_FAILED}; reads that meet
 * a bad record throw {@link JournalCorruptException}. Implementations are thread-safe.
 */
public interface Journal extends AutoCloseable {

    /**
     * Appends one event. Durable when this returns (fsync'd or committed); concurrent appends from several
     * threads may share one commit (group commit).
     */
    JournalRecord append(JournalEvent event);

    /** Appends events atomically, in order: all are durable when this returns, or none is written. */
    List<JournalRecord> appendAll(List<? extends JournalEvent> events);

    /**
     * Appends events atomically, in order, only if every stream in {@code expected} still ends where the caller saw
     * it (optimistic concurrency): a decision made on what a stream held is never written over a record appended
     * since. Otherwise throws {@link StreamMovedException} and writes nothing. With {@code expected} empty this is
     * {@link #appendAll(List)}.
     */
    default List<JournalRecord> appendAll(List<? extends JournalEvent> events, List<StreamPosition> expected) {
        return appendAll(events, expected, null);
    }

    /**
     * Appends as {@link #appendAll(List, List)} does, and with a {@code fence} only while the fence's account lease
     * is still at its epoch (fencing): else throws {@link LeaseLostException} and writes nothing.
     *
     * @param fence the writer's lease on an account, from {@link #takeLease}; null for an unfenced append
     */
    List<JournalRecord> appendAll(List<? extends JournalEvent> events, List<StreamPosition> expected, Fence fence);

    /**
     * Moves the account's lease to a new epoch and returns it, at least 1: the fencing token of a new holder, after
     * which appends fenced with an older epoch are refused. The caller must already hold the account's lock (a
     * database advisory lock, a file lock): this hands out the token, it does not keep others out.
     *
     * @throws UnsupportedOperationException from a journal that keeps no leases
     */
    default long takeLease(String accountId) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no account leases");
    }

    /** Every record with a sequence above {@code afterSequence}, in order; verifies checksums as it reads. */
    void replay(long afterSequence, Consumer<JournalRecord> sink);

    /**
     * The records of {@code types} with a sequence above {@code afterSequence}, in order: for a reader that needs a
     * few kinds of record (the health report's metrics), which is not made to decode every other. Every position is
     * still checked for its place in the sequence (a missing record throws as in a full replay); a record of another
     * type is not read, so its checksum is not verified here. This default replays everything and filters.
     */
    default void replay(long afterSequence, Set<Class<? extends JournalEvent>> types, Consumer<JournalRecord> sink) {
        replay(afterSequence, r -> {
            if (types.contains(r.event().getClass())) {
                sink.accept(r);
            }
        });
    }

    /**
     * The sequence of the last record written before {@code at} (0 when none): {@code replay(sequenceBefore(t), ...)}
     * reads what was written from {@code t} on without reading what came before. Records are appended in the order of
     * their times, so this looks the time up by sequence; a record written by another process with a clock a moment
     * behind may sit on either side of the boundary. This default replays; the database journals search.
     */
    default long sequenceBefore(java.time.Instant at) {
        long[] last = {0};
        replay(0, r -> {
            if (r.event().at().isBefore(at)) {
                last[0] = r.sequence();
            }
        });
        return last[0];
    }

    /**
     * What the records whose time is at or after {@code from} tallied ({@link Tallies}): the meters each moves on its
     * own, and the transactions to read for the rest. The database journals keep the tallies by minute as they write,
     * so this reads rows per minute and meter, not records (a {@code from} inside a minute counts that whole
     * minute: callers pass the start of one); this default replays every record and counts those from {@code from}:
     * by their time, as the tallies do, wherever their sequence is (a record of another process, whose clock was a
     * moment behind, may come after one with a later time).
     */
    default Tallies.Window tallies(java.time.Instant from) {
        Tallies.Counter counter = new Tallies.Counter();
        replay(0, r -> counter.count(r.event(), from,
                txId -> transaction(txId).map(TransactionSummary::startedAt).orElse(null)));
        return counter.window();
    }

    /** The records of one stream (a transaction, an account, a notification), in order. */
    List<JournalRecord> stream(String streamId);

    /** Stream ids of one kind ({@link JournalEvent#TRANSACTION}...) that no event has closed yet, oldest first. */
    List<String> openStreams(String streamKind);

    /**
     * {@link #openStreams(String)}, each with where it ends now: a reader that keeps what it folded of a stream reads
     * it again only when it has moved (streams only grow). The database journals answer in one query; this default
     * reads every stream.
     */
    default List<StreamPosition> openStreamEnds(String streamKind) {
        List<StreamPosition> ends = new java.util.ArrayList<>();
        for (String id : openStreams(streamKind)) {
            ends.add(StreamPosition.of(id, stream(id)));
        }
        return ends;
    }

    /**
     * {@link #openStreams(String)}, each with the account it belongs to (null when none is known), oldest first: what
     * recovery sorts by account before it recovers them side by side. The database journals answer in one query;
     * this default reads each stream's summary, which only transactions have (recovery asked a query per transaction
     * in flight this way, on one thread, before any account began).
     */
    default Map<String, String> openStreamAccounts(String streamKind) {
        Map<String, String> accounts = new java.util.LinkedHashMap<>();
        for (String id : openStreams(streamKind)) {
            accounts.put(id, transaction(id).map(TransactionSummary::accountId).orElse(null));
        }
        return accounts;
    }

    /**
     * {@link #openStreams(String)} of one account: what the account's session resumes before each operation, so it
     * must not cost a read per open stream of every account (the database journals answer from an index). This
     * default filters the open streams by their summaries, which only transactions have.
     */
    default List<String> openStreams(String streamKind, String accountId) {
        List<String> open = new java.util.ArrayList<>();
        for (String id : openStreams(streamKind)) {
            if (transaction(id).map(t -> accountId.equals(t.accountId())).orElse(false)) {
                open.add(id);
            }
        }
        return open;
    }

    /** The most recent transactions first, at most {@code limit}, for one account or all ({@code accountId} null). */
    List<TransactionSummary> recentTransactions(int limit, String accountId);

    /**
     * As {@link #recentTransactions(int, String)}, of the transactions of these {@code operations} only (their
     * {@link TransactionSummary#operation()}): the order operations among many rebalances, say. A journal that keeps
     * an index of its transactions answers from it rather than reading every other transaction too.
     */
    default List<TransactionSummary> recentTransactions(int limit, String accountId,
                                                        Set<String> operations) {
        return recentTransactions(Integer.MAX_VALUE, accountId).stream()
                .filter(s -> operations.contains(s.operation())).limit(limit).toList();
    }

    /**
     * As {@link #recentTransactions(int, String)}, of the transactions standing in {@code status} only: the status is
     * checked before the limit, so the page is full whenever that many such transactions exist, however many others
     * came after them (the dashboard's review page, the API's {@code ?status=}). A journal that keeps an index of
     * its transactions answers from it rather than sending every other transaction too.
     */
    default List<TransactionSummary> recentTransactions(int limit, String accountId, TransactionStatus status) {
        Objects.requireNonNull(status, "status");
        return recentTransactions(Integer.MAX_VALUE, accountId).stream()
                .filter(s -> s.status() == status).limit(limit).toList();
    }

    Optional<TransactionSummary> transaction(String txId);

    /**
     * The transactions started with this correlation id, oldest first: those an event started carry its event id,
     * which is how a redelivered event finds the transaction it started already. This default reads the whole
     * journal; the database journals answer from an index.
     */
    default List<TransactionSummary> correlated(String correlationId) {
        List<String> txIds = new java.util.ArrayList<>();
        replay(0, record -> {
            if (record.event() instanceof TransactionStarted s && correlationId.equals(s.correlationId())) {
                txIds.add(s.txId());
            }
        });
        return txIds.stream().map(this::transaction).flatMap(Optional::stream).toList();
    }

    /** The sequence of the last record, 0 when empty. */
    long lastSequence();

    /**
     * Moves the closed transactions that ended before {@code cutoff}, with their events, into a compressed archive
     * file under {@code archiveDir}, then removes them from the live journal. Never drops anything silently.
     */
    ArchiveResult archive(Instant cutoff, Path archiveDir);

    /**
     * What an archive run did.
     *
     * @param file         the archive written, or null when there was nothing to archive
     * @param transactions transactions moved
     * @param records      records moved
     */
    record ArchiveResult(Path file, int transactions, long records) {
    }

    @Override
    void close();
}
