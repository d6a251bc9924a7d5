package dev.keel.store;

import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.OrdersWorking;
import dev.keel.core.journal.Tallies;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionStarted;
import dev.keel.core.model.TransactionStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQL of one append batch, inside the caller's transaction: takes the sequences from {@code journal_head}
 * (which locks it until commit, so writers of several processes queue there), inserts the events and folds them
 * into {@code streams}. What the batch writes is worked out here for both dialects; SQLite takes it statement by
 * statement, PostgreSQL in two trips to its server, or one when its writer knows what the first would read
 * ({@link PostgresAppend}, whose first trip takes the lock and reads what the writer admits the batch's appends
 * against), and {@code AppendDialectsTest} holds the two to the same rows.
 */
final class AppendSql {
    /**
     * Takes the batch's sequences; the head's last tallied sequence moves with them when it was the head (every
     * record before the batch tallied), else stays where a writer from before schema 7 left it ({@link TallyWrites}).
     */
    static final String TAKE_SEQUENCES = "UPDATE journal_head SET last_seq = last_seq + ?,"
            + " tallied_seq = CASE WHEN tallied_seq = last_seq THEN last_seq + ? ELSE tallied_seq END"
            + " WHERE id = 1 RETURNING last_seq, tallied_seq";
    /**
     * An event and its link back to its stream's previous record: the one before it in the batch, or for a stream's
     * first in the batch the view's last ({@link #STREAM_ENDS}, read before this batch folds the view; null for a
     * new stream). Plain values, so PostgreSQL's driver sends a batch as one multi-row insert.
     */
    private static final String INSERT_EVENT = "INSERT INTO events (seq, stream_id, stream_kind, account_id, type, at,"
            + " payload, checksum, prev_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** Streams whose rows one read asks for; unused places are null. */
    static final int STREAM_ENDS_AT_ONCE = 64;
    private static final String STREAM_ENDS = "SELECT stream_id, last_seq, account_id, opened_at FROM streams"
            + " WHERE stream_id IN ("
            + String.join(", ", Collections.nCopies(STREAM_ENDS_AT_ONCE, "?")) + ")";
    private static final String OPEN_STREAM = "INSERT INTO streams (stream_id, kind, account_id, status, opened_at,"
            + " closed, first_seq, last_seq) VALUES (?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT (stream_id) DO NOTHING";
    private static final String FOLD_STREAM = "UPDATE streams SET last_seq = ?,"
            + " account_id = COALESCE(account_id, ?),"
            + " operation = COALESCE(?, operation),"
            + " correlation_id = COALESCE(?, correlation_id),"
            + " opened_at = COALESCE(?, opened_at),"
            + " status = COALESCE(?, status),"
            + " error_message = CASE WHEN ? = 1 THEN ? ELSE error_message END,"
            + " closed = CASE WHEN ? = 1 THEN 1 ELSE closed END,"
            + " closed_at = CASE WHEN ? = 1 THEN ? ELSE closed_at END,"
            + " working = ?, working_seq = ?"
            + " WHERE stream_id = ?";

    /**
     * The fold of events that neither start, end nor close their stream, for a stream the batch found no row of:
     * opens it (and moves it, should a row have come after all).
     */
    private static final String OPEN_OR_MOVE_STREAM = "INSERT INTO streams (stream_id, kind, account_id, status,"
            + " opened_at, closed, first_seq, last_seq, working, working_seq) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)"
            + " ON CONFLICT (stream_id) DO UPDATE SET last_seq = excluded.last_seq, working = excluded.working,"
            + " working_seq = excluded.working_seq, account_id = COALESCE(streams.account_id, excluded.account_id)";
    /**
     * The fold of such events for a stream whose row this batch read ({@link #STREAM_ENDS}): an update by key,
     * without the insert that would find the row there first. It writes no indexed column.
     */
    private static final String MOVE_STREAM = "UPDATE streams SET last_seq = ?, working = ?, working_seq = ?"
            + " WHERE stream_id = ?";
    /** A row the batch read without an account takes the first one the batch's events name. */
    private static final String SET_STREAM_ACCOUNT = "UPDATE streams SET account_id = ?"
            + " WHERE stream_id = ? AND account_id IS NULL";

    private static final String LOCK_HEAD = "UPDATE journal_head SET last_seq = last_seq WHERE id = 1";
    private static final String STREAM_END = "SELECT last_seq FROM streams WHERE stream_id = ?";
    private static final String LEASE_EPOCH = "SELECT epoch FROM account_leases WHERE account_id = ?";
    private static final String LEASE_MOVE = "UPDATE account_leases SET epoch = epoch + 1, taken_at = ?"
            + " WHERE account_id = ? RETURNING epoch";
    private static final String LEASE_FIRST = "INSERT INTO account_leases (account_id, epoch, taken_at)"
            + " VALUES (?, 1, ?)";

    private AppendSql() {
    }

    /**
     * Takes the journal head's row lock without moving it: every writer, of any process, takes it before it writes,
     * so what is read after this stays true until commit.
     */
    static void lockHead(Connection c) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement(LOCK_HEAD)) {
            lockHead(lock);
        }
    }

    /** {@link #lockHead(Connection)} with the writer's prepared statements. */
    static void lockHead(Statements st) throws SQLException {
        lockHead(st.get(LOCK_HEAD));
    }

    private static void lockHead(PreparedStatement lock) throws SQLException {
        if (lock.executeUpdate() != 1) {
            throw new SQLException("journal_head has no row: the schema is damaged");
        }
    }

    /**
     * What the writer admits a batch's appends against, under the journal head's lock: read statement by statement
     * ({@link #reads}), or all at once with the lock ({@link PostgresAppend.Locked}).
     */
    interface Reads {
        /** The account's lease epoch, 0 when its lease was never taken. */
        long epoch(String accountId) throws SQLException;

        /** The sequence of the stream's last record, 0 when it has none (or was archived). */
        long lastSequence(String streamId) throws SQLException;
    }

    /** {@link Reads} one statement at a time on the writer's statements, after {@link #lockHead(Statements)}. */
    static Reads reads(Statements st) {
        return new Reads() {
            @Override
            public long epoch(String accountId) throws SQLException {
                return leaseEpoch(st, accountId);
            }

            @Override
            public long lastSequence(String streamId) throws SQLException {
                return AppendSql.lastSequence(st, streamId);
            }
        };
    }

    /** The sequence of the stream's last record, 0 when it has none (or was archived). */
    static long lastSequence(Statements st, String streamId) throws SQLException {
        PreparedStatement ps = st.get(STREAM_END);
        ps.setString(1, streamId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** The account's lease epoch, 0 when its lease was never taken. */
    static long leaseEpoch(Statements st, String accountId) throws SQLException {
        PreparedStatement ps = st.get(LEASE_EPOCH);
        ps.setString(1, accountId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /**
     * Moves the account's lease to its next epoch and returns it. The caller holds the journal head's row lock (in
     * order with every append, so none admitted after this sees the old epoch as current), and commits.
     */
    static long takeLease(Statements st, String accountId, String takenAt) throws SQLException {
        PreparedStatement ps = st.get(LEASE_MOVE);
        ps.setString(1, takenAt);
        ps.setString(2, accountId);
        try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                return rs.getLong(1);
            }
        }
        PreparedStatement first = st.get(LEASE_FIRST);
        first.setString(1, accountId);
        first.setString(2, takenAt);
        first.executeUpdate();
        return 1;
    }

    /**
     * Writes the events with consecutive sequences after the journal head; the caller commits. Each stream the batch
     * touches is opened and folded once, with what its events in the batch say together (as folding them one by one
     * would leave it); a stream whose events neither start, end nor close it only has its last sequence moved, a
     * write that touches none of the {@code streams} indexes (an update by key where the batch's read of the streams'
     * ends found its row, else an insert that opens it). Every fold sets {@code working} and {@code working_seq}:
     * what the stream's last event says is working when it is an {@link OrdersWorking}, and its sequence, else nulls
     * (unsaid). A reader takes the count only while {@code working_seq} is {@code last_seq} (a writer from before the
     * column moves the one and not the other). A stream takes the first account its events name, and keeps it: a row
     * the batch's read found with an account is not written for it.
     *
     * <p>{@code locked} is PostgreSQL's: the head and the streams' rows its writer read with the head's lock, which
     * this batch's write moves and folds in the trip that commits. SQLite's (null) takes and reads them here.
     */
    static Written write(Statements st, List<EventCodec.Encoded> events, PostgresAppend.Locked locked)
            throws SQLException {
        Taken taken;
        if (locked != null) {
            taken = locked.take(events.size());
        } else {
            Set<String> streamIds = new LinkedHashSet<>();
            events.forEach(e -> streamIds.add(e.event().streamId()));
            taken = new Taken(takeSequences(st, events.size()), streamEnds(st, streamIds));
        }
        long first = taken.first();
        Map<String, StreamEnd> ends = taken.ends();
        TallyWrites.gap(st, taken.talliedAfterTake(), first, first + events.size() - 1);
        List<JournalRecord> records = new ArrayList<>(events.size());
        List<Row> rows = new ArrayList<>(events.size());
        Map<String, StreamFold> folds = new LinkedHashMap<>();
        long seq = first;
        for (EventCodec.Encoded encoded : events) {
            JournalEvent event = encoded.event();
            String at = Timestamps.format(event.at());
            StreamFold fold = folds.get(event.streamId());
            Long previous;
            if (fold == null) {
                fold = new StreamFold(event, seq, at);
                folds.put(event.streamId(), fold);
                StreamEnd end = ends.get(event.streamId());
                previous = end == null ? null : end.lastSeq();
            } else {
                previous = fold.lastSeq;
            }
            rows.add(new Row(seq, event, encoded.type(), at, encoded.payload(),
                    Checksums.of(seq, event.streamId(), encoded.type(), encoded.payload()), previous));
            fold.add(event, seq, at);
            records.add(new JournalRecord(seq, event));
            seq++;
        }
        Tallies.Counter counter = TallyWrites.count(events,
                streamId -> openedAt(folds.get(streamId), ends.get(streamId)));
        if (locked != null) {
            PostgresAppend.writeAndCommit(st, locked, rows, folds.values(), counter);
        } else {
            insertEvents(st, rows);
            foldStreams(st, folds.values(), ends);
            TallyWrites.write(st, counter);
        }
        return new Written(records, folds.values());
    }

    /** A batch's records as written, and what it folded into each stream's row of the view. */
    record Written(List<JournalRecord> records, Collection<StreamFold> folds) {
    }

    /** One event's row of {@code events}: {@code previous} is its stream's record before it, null for the first. */
    record Row(long seq, JournalEvent event, String type, String at, String payload, long checksum, Long previous) {
    }

    private static void insertEvents(Statements st, List<Row> rows) throws SQLException {
        PreparedStatement insert = st.get(INSERT_EVENT);
        for (Row row : rows) {
            JournalEvent event = row.event();
            insert.setLong(1, row.seq());
            insert.setString(2, event.streamId());
            insert.setString(3, event.streamKind());
            insert.setString(4, event.accountId());
            insert.setString(5, row.type());
            insert.setString(6, row.at());
            insert.setString(7, row.payload());
            insert.setLong(8, row.checksum());
            if (row.previous() == null) {
                insert.setNull(9, Types.BIGINT);
            } else {
                insert.setLong(9, row.previous());
            }
            insert.addBatch();
        }
        insert.executeBatch();
    }

    /** When the stream opened: its start in this batch, else its row's; null when neither says. */
    private static Instant openedAt(StreamFold fold, StreamEnd end) {
        if (fold != null && fold.started != null) {
            return fold.started.at();
        }
        return end != null && end.openedAt() != null ? Timestamps.parse(end.openedAt()) : null;
    }

    /**
     * What the view holds of a stream as a batch begins: its last sequence, whether it has an account, and when it
     * opened (a transaction's start, for its ending's duration).
     */
    record StreamEnd(long lastSeq, boolean hasAccount, String openedAt) {
    }

    /**
     * The row of each of {@code streamIds} that has one, {@link #STREAM_ENDS_AT_ONCE} to a read. Called under the
     * journal head's lock, so it stays true until the batch commits.
     */
    static Map<String, StreamEnd> streamEnds(Statements st, Collection<String> streamIds) throws SQLException {
        Map<String, StreamEnd> ends = new HashMap<>();
        PreparedStatement ps = st.get(STREAM_ENDS);
        List<String> ids = List.copyOf(streamIds);
        for (int from = 0; from < ids.size(); from += STREAM_ENDS_AT_ONCE) {
            for (int i = 0; i < STREAM_ENDS_AT_ONCE; i++) {
                int at = from + i;
                text(ps, i + 1, at < ids.size() ? ids.get(at) : null);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    streamEnd(rs, ends);
                }
            }
        }
        return ends;
    }

    /** Opens each stream the batch touches (a no-op for one already open) and folds its events into it. */
    private static void foldStreams(Statements st, Iterable<StreamFold> folds, Map<String, StreamEnd> ends)
            throws SQLException {
        PreparedStatement open = st.get(OPEN_STREAM);
        PreparedStatement fold = st.get(FOLD_STREAM);
        PreparedStatement openOrMove = st.get(OPEN_OR_MOVE_STREAM);
        PreparedStatement move = st.get(MOVE_STREAM);
        PreparedStatement account = st.get(SET_STREAM_ACCOUNT);
        boolean opened = false;
        boolean inserted = false;
        boolean moved = false;
        boolean accounts = false;
        for (StreamFold f : folds) {
            if (f.started != null || f.ended != null || f.closedAt != null) {
                opening(open, f);
                open.addBatch();
                fold(fold, f);
                fold.addBatch();
                opened = true;
                continue;
            }
            StreamEnd end = ends.get(f.streamId);
            if (end == null) {
                opening(openOrMove, f);
                working(openOrMove, 8, f);
                openOrMove.addBatch();
                inserted = true;
                continue;
            }
            move.setLong(1, f.lastSeq);
            working(move, 2, f);
            move.setString(4, f.streamId);
            move.addBatch();
            moved = true;
            if (f.accountId != null && !end.hasAccount()) {
                account.setString(1, f.accountId);
                account.setString(2, f.streamId);
                account.addBatch();
                accounts = true;
            }
        }
        // A stream already open makes its insert a no-op, so the folds below apply to it as to a new one.
        if (opened) {
            open.executeBatch();
            fold.executeBatch();
        }
        if (inserted) {
            openOrMove.executeBatch();
        }
        if (moved) {
            move.executeBatch();
        }
        if (accounts) {
            account.executeBatch();
        }
    }

    /**
     * The first seven parameters of a stream's opening: what its first record in the batch says, and the first account
     * any of them names.
     */
    private static void opening(PreparedStatement ps, StreamFold f) throws SQLException {
        ps.setString(1, f.streamId);
        ps.setString(2, f.kind);
        ps.setString(3, f.accountId);
        text(ps, 4, f.openingStatus());
        ps.setString(5, f.firstAt);
        ps.setLong(6, f.firstSeq);
        ps.setLong(7, f.lastSeq);
    }

    /** What one batch's events of one stream say about it, folded in their order. */
    static final class StreamFold {
        final String streamId;
        final String kind;
        final String firstAt;
        final long firstSeq;
        long lastSeq;
        String accountId;
        TransactionStarted started;
        TransactionEnded ended;
        String closedAt;
        /** What the last event said is working when it is an {@link OrdersWorking}; else null. */
        Integer working;

        StreamFold(JournalEvent first, long seq, String at) {
            this.streamId = first.streamId();
            this.kind = first.streamKind();
            this.firstAt = at;
            this.firstSeq = seq;
        }

        /** The operation its start names, null without a start in the batch; likewise the three below. */
        String operation() {
            return started == null ? null : started.operation();
        }

        String correlationId() {
            return started == null ? null : started.correlationId();
        }

        String startedAt() {
            return started == null ? null : Timestamps.format(started.at());
        }

        /** The status its ending gives, null without an ending in the batch; likewise its error message. */
        String endedStatus() {
            return ended == null ? null : ended.status().name();
        }

        String errorMessage() {
            return ended == null ? null : ended.errorMessage();
        }

        /** The status a new row opens with: in progress for a transaction, none for other streams. */
        String openingStatus() {
            return JournalEvent.TRANSACTION.equals(kind) ? TransactionStatus.IN_PROGRESS.name() : null;
        }

        /** The sequence that says {@link #working}: the last, when its last event is an {@link OrdersWorking}. */
        Long workingSeq() {
            return working == null ? null : lastSeq;
        }

        void add(JournalEvent event, long seq, String at) {
            lastSeq = seq;
            working = event instanceof OrdersWorking w ? Integer.valueOf(w.working()) : null;
            if (accountId == null) {
                accountId = event.accountId();
            }
            if (event instanceof TransactionStarted s) {
                started = s;
            }
            if (event instanceof TransactionEnded e) {
                ended = e;
            }
            if (event.closesStream()) {
                closedAt = at;
            }
        }
    }

    /**
     * A batch's take of sequences: its first, the head's last tallied sequence after the take, and the view's row of
     * each stream the batch writes that has one, read under the head's lock.
     */
    record Taken(long first, long talliedAfterTake, Map<String, StreamEnd> ends) {
        Taken(long[] sequences, Map<String, StreamEnd> ends) {
            this(sequences[0], sequences[1], ends);
        }
    }

    /** The batch's first sequence, and the head's last tallied sequence after the batch's take. */
    private static long[] takeSequences(Statements st, int count) throws SQLException {
        PreparedStatement take = st.get(TAKE_SEQUENCES);
        take.setLong(1, count);
        take.setLong(2, count);
        try (ResultSet rs = take.executeQuery()) {
            return taken(rs, count);
        }
    }

    /** {@link #TAKE_SEQUENCES}'s answer: the batch's first sequence, and the head's last tallied one after it. */
    static long[] taken(ResultSet rs, int count) throws SQLException {
        if (!rs.next()) {
            throw new SQLException("journal_head has no row: the schema is damaged");
        }
        return new long[] {rs.getLong(1) - count + 1, rs.getLong(2)};
    }

    /** A row of {@link #STREAM_ENDS} (or a read of the same columns) into {@code ends}. */
    static void streamEnd(ResultSet rs, Map<String, StreamEnd> ends) throws SQLException {
        ends.put(rs.getString(1), new StreamEnd(rs.getLong(2), rs.getString(3) != null, rs.getString(4)));
    }

    private static void fold(PreparedStatement fold, StreamFold f) throws SQLException {
        fold.setLong(1, f.lastSeq);
        fold.setString(2, f.accountId);
        text(fold, 3, f.operation());
        text(fold, 4, f.correlationId());
        text(fold, 5, f.startedAt());
        text(fold, 6, f.endedStatus());
        fold.setInt(7, f.ended == null ? 0 : 1);
        text(fold, 8, f.errorMessage());
        fold.setInt(9, f.closedAt != null ? 1 : 0);
        fold.setInt(10, f.closedAt != null ? 1 : 0);
        text(fold, 11, f.closedAt);
        working(fold, 12, f);
        fold.setString(14, f.streamId);
    }

    /** {@code working} and {@code working_seq} at {@code index} and the next: the note and its sequence, or nulls. */
    private static void working(PreparedStatement ps, int index, StreamFold f) throws SQLException {
        if (f.working == null) {
            ps.setNull(index, Types.INTEGER);
            ps.setNull(index + 1, Types.BIGINT);
        } else {
            ps.setInt(index, f.working);
            ps.setLong(index + 1, f.workingSeq());
        }
    }

    /** A text parameter that may be null; typed, so PostgreSQL infers {@code COALESCE(?, col)} without guessing. */
    static void text(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }
}
