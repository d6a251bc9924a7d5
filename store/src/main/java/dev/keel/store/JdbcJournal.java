package dev.keel.store;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalCorruptException;
import dev.keel.core.journal.Fence;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.StreamPosition;
import dev.keel.core.journal.Tallies;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.time.Background;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The {@link Journal} on SQLite or PostgreSQL: checksummed events, each linked back to its stream's previous one, the
 * stream view updated in the same transaction, group commit through one writer thread, archives that keep sequence
 * checks exact. Open it with {@link Journals}.
 *
 * <p>On open the newest {@link #OPEN_VERIFY_TAIL} records are checked (checksums, no gaps, nothing past the head),
 * the views of the streams they touch and their links against their events, and the database's own structure
 * (SQLite: the full {@code integrity_check} up to {@link #FULL_CHECK_AT_OPEN_BYTES}, beyond it {@code quick_check} and
 * a count of every index): that bounds start-up time however long the history, and every read verifies the records
 * it touches anyway; {@link #verify(boolean, Verification.Listener)} with {@code full} checks everything.
 */
public final class JdbcJournal implements Journal {
    /** Records checked when a journal opens: the newest 10,000. */
    public static final int OPEN_VERIFY_TAIL = 10_000;
    /** SQLite files up to this size get the full {@code integrity_check} on open: 64 MiB, well under a second. */
    public static final long FULL_CHECK_AT_OPEN_BYTES = 64L << 20;
    private static final int FETCH_SIZE = 1_000;
    /** Records of streams read before kept decoded: 20,000, some 10-20 MB. */
    static final int CACHED_RECORDS = 20_000;

    private final Database db;
    private final Clock clock;
    private final GroupCommitWriter writer;
    private final ReaderStatements readerStatements = new ReaderStatements();
    /** Streams read before, decoded, up to {@link #CACHED_RECORDS} records. */
    private final StreamCache streams = new StreamCache(CACHED_RECORDS);
    /** Guards the writer's check of a journal opened to read ({@link #checkToWrite}). */
    private final Object writeCheck = new Object();
    /** Whether a writer's check has passed: at a writer's open, or before the first write of a reader's. */
    private volatile boolean checkedToWrite;
    /** What the writer's check of a journal opened to read found, refusing every write; guarded by writeCheck. */
    private KeelException refusedToWrite;

    /** What a journal checks as it opens. */
    enum OpenCheck {
        /** Nothing: {@code keel journal verify} reports damage instead of refusing, and a backup copies it. */
        NONE,
        /** The newest records and their view, and the database's own pages and indexes: before Keel writes. */
        FULL,
        /**
         * As {@link #FULL}, but nothing reads the events' records themselves: a reader's open, whose cost then grows
         * with the transactions and not with their records, since each record it reads is checked (its checksum, its
         * place) as it is read. The database's own check leaves the events' table out, and the newest records' places,
         * links and views are checked from the database's sums of them ({@link IntegrityCheck#tailHolds}) instead of a
         * read of each. Such a journal is given {@link #FULL}'s check before its first write.
         */
        READ
    }

    JdbcJournal(Database db, Clock clock) {
        this(db, clock, OpenCheck.FULL);
    }

    JdbcJournal(Database db, Clock clock, OpenCheck check) {
        this.db = db;
        this.clock = Objects.requireNonNull(clock, "clock");
        if (check != OpenCheck.NONE) {
            try {
                List<String> findings = findings(check);
                if (!findings.isEmpty()) {
                    throw JournalFailure.corrupt(db.description(), String.join("; ", findings), null);
                }
            } catch (RuntimeException e) {
                db.close();
                throw e;
            }
        }
        this.checkedToWrite = check != OpenCheck.READ;
        this.writer = new GroupCommitWriter(db.writer(), db.dialect(), db.description());
    }

    /**
     * What an open of {@code kind} finds wrong: the database's own check of its tables, beside the newest records'
     * places, checksums, links and views (for a reader's open, the database's sums of them, read one by one only when
     * those do not hold). Empty when all is well; a record whose checksum fails is thrown as it is.
     */
    private List<String> findings(OpenCheck kind) {
        Background<List<String>> database = databaseCheck(kind);
        StreamSpans spans = new StreamSpans();
        try {
            long after = Math.max(0, read(JournalReads::head) - OPEN_VERIFY_TAIL);
            if (kind != OpenCheck.READ || !tailHolds(after)) {
                scan(after, null, null, null, spans);
            }
        } catch (RuntimeException e) {
            database.discard(findings -> { }); // not left running on a database about to be closed
            throw e;
        }
        List<String> findings = new ArrayList<>(database.join());
        findings.addAll(spans.viewFindings());
        return findings;
    }

    /**
     * Before anything is written: a journal opened to read is given a writer's check first, once ({@link
     * OpenCheck#FULL}), so that every write, from whichever open, follows that check. What it finds refuses this write
     * and every later one (JOURNAL_CORRUPT); reads go on as they did. A check that could not run (the database gone) is
     * tried again at the next write.
     */
    private void checkToWrite() {
        if (checkedToWrite) {
            return;
        }
        synchronized (writeCheck) {
            if (refusedToWrite != null) {
                throw refusedToWrite; // as it was found: which record, or what the database said
            }
            if (checkedToWrite) {
                return;
            }
            try {
                List<String> findings = findings(OpenCheck.FULL);
                if (!findings.isEmpty()) {
                    throw JournalFailure.corrupt(db.description(), String.join("; ", findings), null);
                }
            } catch (KeelException e) {
                if (e.code() == ErrorCode.JOURNAL_CORRUPT) {
                    refusedToWrite = e;
                }
                throw e;
            }
            checkedToWrite = true;
        }
    }

    /** Where the journal lives, without credentials. */
    public String description() {
        return db.description();
    }

    @Override
    public JournalRecord append(JournalEvent event) {
        return appendAll(List.of(event)).getFirst();
    }

    @Override
    public List<JournalRecord> appendAll(List<? extends JournalEvent> events) {
        return appendAll(events, List.of(), null);
    }

    /**
     * Account leases that hold across every process on this journal, waiting on {@code sleeper} while another
     * process holds an account.
     */
    public DatabaseLeases leases(Clock leaseClock, dev.keel.core.time.Sleeper sleeper) {
        return new DatabaseLeases(this, db.locks(), leaseClock, sleeper);
    }

    @Override
    public long takeLease(String accountId) {
        Objects.requireNonNull(accountId, "accountId");
        checkToWrite();
        String takenAt = Timestamps.format(clock.instant());
        return writer.takeLease(accountId, takenAt);
    }

    @Override
    public List<JournalRecord> appendAll(List<? extends JournalEvent> events, List<StreamPosition> expected,
                                         Fence fence) {
        checkToWrite();
        // Encoded here, on the caller's thread: a bad event fails its own caller before anything is queued.
        List<EventCodec.Encoded> encoded = new ArrayList<>(events.size());
        for (JournalEvent event : events) {
            encoded.add(EventCodec.encode(Objects.requireNonNull(event, "event")));
        }
        return encoded.isEmpty() ? List.of() : writer.append(encoded, expected, fence);
    }

    @Override
    public void replay(long afterSequence, Consumer<JournalRecord> sink) {
        scan(Math.max(0, afterSequence), null, Objects.requireNonNull(sink, "sink"), null, null);
    }

    /**
     * {@inheritDoc} The database leaves out the payload of every other record, so it is neither sent nor decoded
     * (the health report's replay of a day: 30 % of its records, 40 % of its bytes, are of types it does not count).
     */
    @Override
    public void replay(long afterSequence, Set<Class<? extends JournalEvent>> types,
                       Consumer<JournalRecord> sink) {
        List<String> names = types.stream().map(Class::getSimpleName).sorted().toList();
        scan(Math.max(0, afterSequence), names, Objects.requireNonNull(sink, "sink"), null, null);
    }

    /**
     * Checks every live record's checksum and that sequences run gap-free from 1 to the head, archived ranges
     * accounted for.
     *
     * @return the live records checked
     * @throws JournalCorruptException naming the first bad position
     */
    public long verify() {
        return scan(0, null, null, null, null);
    }

    /**
     * Checks the journal and says what is wrong with it, without throwing for damage. {@code full}: every record's
     * checksum and sequence, every stream's view against its events, and the database's own full integrity check;
     * otherwise what an open checks (the newest {@link #OPEN_VERIFY_TAIL} records, the views they touch, the quick
     * structural check).
     *
     * @param listener told of progress every thousand records; may be null
     */
    public Verification verify(boolean full, Verification.Listener listener) {
        long head = lastSequence();
        long from = full ? 0 : Math.max(0, head - OPEN_VERIFY_TAIL);
        List<String> findings = new ArrayList<>();
        long checked = 0;
        StreamSpans spans = new StreamSpans();
        try {
            checked = scan(from, null, null, listener == null ? null : done -> listener.progress(done, head - from),
                    spans);
        } catch (JournalCorruptException e) {
            findings.add(e.getMessage());
            spans = null; // read part of the way: the views cannot be held against it
        }
        findings.addAll(structure(full || fullCheckAtOpen(), spans));
        return new Verification(db.description(), full, checked, head, findings);
    }

    /**
     * A consistent copy of the whole journal in {@code target}, taken while Keel runs (SQLite's {@code VACUUM INTO}
     * reads one snapshot). The copy is itself a journal: {@code journal: sqlite:TARGET} opens it.
     *
     * @throws KeelException REQUEST_REFUSED when {@code target} exists or the journal is on PostgreSQL (whose
     *                       {@code pg_dump} is the tool for it, as the message says)
     */
    public Path backup(Path target) {
        Path file = target.toAbsolutePath().normalize();
        if (db.dialect() != Dialect.SQLITE) {
            throw new KeelException(ErrorCode.REQUEST_REFUSED, "the journal at " + db.description() + " is on"
                    + " PostgreSQL: back it up with the server's own tool, 'pg_dump --format=custom --file=" + target
                    + " DBNAME' (restore with pg_restore), or the server's continuous archiving");
        }
        if (Files.exists(file)) {
            throw new KeelException(ErrorCode.REQUEST_REFUSED, "the backup file " + file + " exists already; name a"
                    + " new file, so no backup is ever overwritten");
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
        } catch (java.io.IOException e) {
            throw new KeelException(ErrorCode.REQUEST_REFUSED, "the backup's folder " + file.getParent()
                    + " cannot be created; name a folder you can write", ErrorContext.NONE, e);
        }
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("VACUUM INTO ?")) {
                ps.setString(1, file.toString());
                ps.execute();
            }
            return file;
        });
    }

    /**
     * The database's own check, and what the scan that gathered {@code spans} found of the views and links of the
     * records it read (null: it did not read to the end).
     */
    private List<String> structure(boolean full, StreamSpans spans) {
        List<String> findings = new ArrayList<>(read(c -> IntegrityCheck.database(c, db.dialect(), full)));
        if (spans != null) {
            findings.addAll(spans.viewFindings());
        }
        return findings;
    }

    /**
     * The database's own check as an open of {@code kind} runs it: on SQLite beside the scan of the newest records, on
     * a reader connection and a thread of its own, since the check is the database's native work and grows with the
     * file, the scan Java's on the tail (issue 15: a tenth of a second of every command's start on 2 cores).
     */
    private Background<List<String>> databaseCheck(OpenCheck kind) {
        boolean full = fullCheckAtOpen();
        java.util.function.Supplier<List<String>> check = () -> read(c -> kind == OpenCheck.READ
                ? IntegrityCheck.readersTables(c, db.dialect(), full) : IntegrityCheck.database(c, db.dialect(), full));
        // PostgreSQL checks its own pages: nothing to run beside
        return db.dialect() == Dialect.SQLITE ? Background.start("keel-journal-check", check) : Background.done(check);
    }

    /** Whether this journal is small enough for SQLite's full integrity check on open. */
    private boolean fullCheckAtOpen() {
        if (db.dialect() != Dialect.SQLITE) {
            return false;
        }
        try {
            return Files.size(Path.of(JournalFailure.file(db.description()))) <= FULL_CHECK_AT_OPEN_BYTES;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * For a reader's open: whether the records after {@code afterSequence}, their places, links and views, hold as the
     * database sums them up in one snapshot ({@link IntegrityCheck#tailHolds}); false when they must be read in order
     * to say what is wrong.
     */
    boolean tailHolds(long afterSequence) {
        return read(c -> {
            c.setAutoCommit(false);
            c.setTransactionIsolation(db.dialect().snapshotIsolation());
            boolean holds = IntegrityCheck.tailHolds(c, afterSequence, JournalReads.head(c),
                    JournalReads.archivedRanges(c, afterSequence));
            c.commit();
            return holds;
        });
    }

    /**
     * What an open's read of the records after {@code afterSequence}, one by one, finds in them and in the views: the
     * answer {@link #tailHolds} must agree with (tests hold the two against each other).
     */
    List<String> tailFindings(long afterSequence) {
        StreamSpans spans = new StreamSpans();
        try {
            scan(afterSequence, null, null, null, spans);
        } catch (JournalCorruptException e) {
            return List.of(e.getMessage());
        }
        return spans.viewFindings();
    }

    /**
     * Reads the records after {@code afterSequence} in one snapshot, in order, checking each one's place and checksum;
     * decodes them only for a sink. With {@code types}, only the records of those type names are read, the others'
     * places checked. With {@code spans}, each record's stream and link back are gathered there, and the views
     * checked against them in the same snapshot.
     */
    private long scan(long afterSequence, List<String> types, Consumer<JournalRecord> sink,
                      java.util.function.LongConsumer progress, StreamSpans spans) {
        return read(c -> {
            c.setAutoCommit(false);
            c.setTransactionIsolation(db.dialect().snapshotIsolation());
            long head = JournalReads.head(c);
            SequenceCheck check = new SequenceCheck(afterSequence, JournalReads.archivedRanges(c, afterSequence));
            String sql = types != null ? JournalReads.eventsOfTypesAfter(types.size())
                    : spans != null ? JournalReads.LINKED_EVENTS_AFTER : JournalReads.EVENTS_AFTER;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(FETCH_SIZE);
                int parameter = 1;
                for (String type : types == null ? List.<String>of() : types) {
                    ps.setString(parameter++, type);
                }
                ps.setLong(parameter, afterSequence);
                // A check that decodes nothing (the open's) takes each checksum over the bytes as stored, without
                // making strings of the type and payload to encode again (issue 15: the open's scan of 10,000
                // records, a fifth of a read command: 140-148 -> 107-128 ms; tx list 0.042 s less, 24 pairs in turn).
                boolean undecoded = types == null && sink == null;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        StoredRow row = undecoded ? new StoredRow(rs.getLong(1), rs.getString(2), null, null,
                                rs.getLong(5)) : JournalReads.row(rs);
                        if (spans != null) {
                            long link = rs.getLong(6);
                            spans.accept(row.sequence(), row.streamId(), rs.wasNull() ? null : link);
                        }
                        if (undecoded) {
                            check.place(row);
                            row.matching(Checksums.of(row.sequence(), row.streamId().getBytes(StandardCharsets.UTF_8),
                                    rs.getBytes(3), rs.getBytes(4)));
                        } else if (types != null && row.payload() == null) {
                            check.place(row); // not of the types asked for: not read
                        } else if (sink != null) {
                            sink.accept(EventCodec.decodeVerified(check.accept(row)));
                        } else {
                            check.accept(row);
                        }
                        if (progress != null && check.checked() % FETCH_SIZE == 0) {
                            progress.accept(check.checked());
                        }
                    }
                }
            }
            check.finish(head);
            if (spans != null) {
                // In the scan's snapshot: a view read after it could hold records appended since by other processes.
                spans.viewsChecked(IntegrityCheck.views(c, afterSequence, spans));
            }
            c.commit();
            return check.checked();
        });
    }

    /**
     * {@inheritDoc} The records are found by following each one's link back from the stream's last
     * ({@link StreamChain}). A stream read before is read from its last record on ({@link StreamCache}): one query
     * when at most one record is new, so whatever another writer appended since is there, but the records read before
     * are not decoded again.
     * A record changed on disk after it was read is found by {@link #verify}, not by this read.
     */
    @Override
    public List<JournalRecord> stream(String streamId) {
        Objects.requireNonNull(streamId, "streamId");
        List<JournalRecord> known = streams.get(streamId);
        if (known != null) {
            List<StoredRow> after = read(c -> StreamChain.read(readerStatements.of(c), streamId,
                    known.getLast().sequence()));
            if (after != null) {
                if (after.isEmpty()) {
                    return known;
                }
                List<JournalRecord> all = new ArrayList<>(known.size() + after.size());
                all.addAll(known);
                after.forEach(row -> all.add(EventCodec.decode(row)));
                List<JournalRecord> read = List.copyOf(all);
                streams.put(streamId, read);
                return read;
            }
        }
        List<JournalRecord> all = read(c -> StreamChain.read(readerStatements.of(c), streamId, 0)).stream()
                .map(EventCodec::decode).toList();
        streams.put(streamId, all);
        return all;
    }

    @Override
    public List<String> openStreams(String streamKind) {
        return query(JournalReads.OPEN_STREAMS, List.of(streamKind), rs -> rs.getString(1));
    }

    /** {@inheritDoc} One query. */
    @Override
    public List<StreamPosition> openStreamEnds(String streamKind) {
        return query(JournalReads.OPEN_STREAM_ENDS, List.of(streamKind),
                rs -> new StreamPosition(rs.getString(1), rs.getLong(2)));
    }

    /** {@inheritDoc} One query. */
    @Override
    public Map<String, String> openStreamAccounts(String streamKind) {
        Map<String, String> accounts = new LinkedHashMap<>();
        for (String[] row : query(JournalReads.OPEN_STREAM_ACCOUNTS, List.of(streamKind),
                rs -> new String[] {rs.getString(1), rs.getString(2)})) {
            accounts.put(row[0], row[1]);
        }
        return accounts;
    }

    /** {@inheritDoc} One query on the {@code streams_by_account} index. */
    @Override
    public List<String> openStreams(String streamKind, String accountId) {
        return query(JournalReads.OPEN_STREAMS_OF_ACCOUNT, List.of(accountId, streamKind), rs -> rs.getString(1));
    }

    @Override
    public List<TransactionSummary> recentTransactions(int limit, String accountId) {
        requireLimit(limit);
        return accountId == null
                ? query(JournalReads.RECENT, List.of(limit), JournalReads::summary)
                : query(JournalReads.RECENT_OF_ACCOUNT, List.of(accountId, limit), JournalReads::summary);
    }

    /**
     * {@inheritDoc} One query on the index of transactions by start ({@code streams_recent}, or
     * {@code streams_by_account}), the operations checked in the database: {@code keel ops list} on a journal of
     * 10,000 rebalances and no operation read all 10,000 summaries, in pages that doubled (issue 15).
     */
    @Override
    public List<TransactionSummary> recentTransactions(int limit, String accountId, Set<String> operations) {
        requireLimit(limit);
        if (operations.isEmpty()) {
            return List.of();
        }
        List<Object> parameters = new ArrayList<>();
        if (accountId != null) {
            parameters.add(accountId);
        }
        parameters.addAll(operations.stream().sorted().toList());
        parameters.add(limit);
        return query(JournalReads.recentOfOperations(accountId != null, operations.size()), parameters,
                JournalReads::summary);
    }

    /**
     * {@inheritDoc} One query on the index of transactions by start ({@code streams_recent}, or
     * {@code streams_by_account}), the status checked in the database: the API's and the dashboard's lists of one
     * status read at most 20 times their page before, and showed fewer rows than existed where the status was rare.
     */
    @Override
    public List<TransactionSummary> recentTransactions(int limit, String accountId, TransactionStatus status) {
        requireLimit(limit);
        Objects.requireNonNull(status, "status");
        return accountId == null
                ? query(JournalReads.RECENT_IN_STATUS, List.of(status.name(), limit), JournalReads::summary)
                : query(JournalReads.RECENT_OF_ACCOUNT_IN_STATUS, List.of(accountId, status.name(), limit),
                        JournalReads::summary);
    }

    private static void requireLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be at least 0, but was " + limit);
        }
    }

    @Override
    public Optional<TransactionSummary> transaction(String txId) {
        return query(JournalReads.TRANSACTION, List.of(txId), JournalReads::summary).stream().findFirst();
    }

    @Override
    public List<TransactionSummary> correlated(String correlationId) {
        return query(JournalReads.CORRELATED, List.of(Objects.requireNonNull(correlationId, "correlationId")),
                JournalReads::summary);
    }

    /**
     * The embedded event inbox in this journal's database, and its dead letters.
     *
     * @param consumer this consumer's name, for the logs
     */
    public JdbcInbox inbox(Clock inboxClock, String consumer) {
        return new JdbcInbox(this, inboxClock, consumer);
    }

    /** Runs {@code work} in one transaction on the writer thread, between append batches (the inbox's writes). */
    <T> T exclusive(GroupCommitWriter.SqlWork<T> work, String what) {
        checkToWrite();
        return writer.exclusive(work, what);
    }

    Dialect dialect() {
        return db.dialect();
    }

    /** Runs {@code work} on a reader connection. */
    <T> T reading(GroupCommitWriter.SqlWork<T> work) {
        return read(work);
    }

    @Override
    public long lastSequence() {
        return read(JournalReads::head);
    }

    /** {@inheritDoc} A binary search over the live records' sequences: a few indexed reads, whatever the size. */
    @Override
    public long sequenceBefore(Instant at) {
        Objects.requireNonNull(at, "at");
        return read(c -> JournalReads.sequenceBefore(c, at));
    }

    /**
     * {@inheritDoc} Sums the tallies the writers kept by minute (schema 7) in one snapshot; records no writer tallied
     * (from before the migration, or from a Keel from before it) are read and counted.
     */
    @Override
    public Tallies.Window tallies(Instant from) {
        Objects.requireNonNull(from, "from");
        return read(c -> {
            c.setAutoCommit(false);
            c.setTransactionIsolation(db.dialect().snapshotIsolation());
            Tallies.Window window = TallyReads.window(c, from);
            c.commit();
            return window;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Runs on the writer thread between append batches, in one transaction: the file is written and synced, the
     * archive and its sequence ranges recorded, the rows deleted; if any step fails nothing changes and the file is
     * removed. Archives only transaction streams; account and notification streams stay live.
     */
    @Override
    public ArchiveResult archive(Instant cutoff, Path archiveDir) {
        Objects.requireNonNull(cutoff, "cutoff");
        Objects.requireNonNull(archiveDir, "archiveDir");
        checkToWrite();
        try {
            return writer.exclusive(c -> ArchiveSql.run(c, cutoff, archiveDir, clock.instant()), "archive");
        } finally {
            streams.clear(); // the streams archived are read again as they now are: gone
        }
    }

    /**
     * As {@link #archive(Instant, Path)}, only the ended transactions whose operation is one of {@code operations}
     * ({@code keel ops cleanup} archives order operations and leaves rebalances in the live journal).
     */
    public ArchiveResult archive(Instant cutoff, Path archiveDir, Collection<String> operations) {
        Objects.requireNonNull(cutoff, "cutoff");
        Objects.requireNonNull(archiveDir, "archiveDir");
        List<String> names = List.copyOf(operations);
        checkToWrite();
        try {
            return writer.exclusive(c -> ArchiveSql.run(c, cutoff, archiveDir, clock.instant(), names), "archive");
        } finally {
            streams.clear();
        }
    }

    /** The archive files written so far, oldest first, each with what it holds. */
    public List<ArchiveResult> archives() {
        return query("SELECT file, transactions, records FROM archives ORDER BY archive_id", List.of(),
                rs -> new ArchiveResult(Path.of(rs.getString(1)), rs.getInt(2), rs.getLong(3)));
    }

    /** Writes what is queued, then closes the connections. Appends after this fail with JOURNAL_WRITE_FAILED. */
    @Override
    public void close() {
        try {
            if (writer != null) {
                writer.close();
            }
        } finally {
            readerStatements.close();
            db.close();
        }
    }

    /** The writer thread, for store tests that hold it to make appends meet in one batch. */
    GroupCommitWriter writer() {
        return writer;
    }

    /** Maps one row; may throw what JDBC throws. */
    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, List<Object> parameters, RowMapper<T> mapper) {
        return read(c -> {
            List<T> rows = new ArrayList<>();
            PreparedStatement ps = readerStatements.of(c).get(sql);
            for (int i = 0; i < parameters.size(); i++) {
                ps.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
            }
            return List.copyOf(rows);
        });
    }

    private <T> T read(GroupCommitWriter.SqlWork<T> work) {
        try (Connection c = db.reader().getConnection()) {
            try {
                return work.run(c);
            } catch (Exception | Error e) {
                readerStatements.forget(c, e);
                throw e;
            }
        } catch (KeelException e) {
            throw e;
        } catch (Exception e) {
            // A journal that cannot be read is as unusable as one that cannot be written: corrupt, unavailable,
            // or JOURNAL_WRITE_FAILED.
            throw JournalFailure.of("read", db.description(), e);
        }
    }
}
