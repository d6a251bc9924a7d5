package dev.keel.store;

import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionStarted;
import dev.keel.core.model.TransactionStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of one append batch, inside the caller's transaction: takes the sequences from {@code journal_head}
 * (which locks it until commit, so writers of several processes queue there), inserts the events and folds them
 * into {@code streams}. Same SQL for both dialects.
 */
final class AppendSql {
    private static final String TAKE_SEQUENCES =
            "UPDATE journal_head SET last_seq = last_seq + ? WHERE id = 1 RETURNING last_seq";
    private static final String INSERT_EVENT = "INSERT INTO events (seq, stream_id, stream_kind, account_id, type, at,"
            + " payload, checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
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
            + " closed_at = CASE WHEN ? = 1 THEN ? ELSE closed_at END"
            + " WHERE stream_id = ?";

    private static final String LOCK_HEAD = "UPDATE journal_head SET last_seq = last_seq WHERE id = 1";
    private static final String STREAM_END = "SELECT last_seq FROM streams WHERE stream_id = ?";
    private static final String LEASE_EPOCH = "SELECT epoch FROM account_leases WHERE account_id = ?";
    private static final String LEASE_MOVE = "UPDATE account_leases SET epoch = epoch + 1, taken_at = ?"
            + " WHERE account_id = ?";
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
            if (lock.executeUpdate() != 1) {
                throw new SQLException("journal_head has no row: the schema is damaged");
            }
        }
    }

    /** The sequence of the stream's last record, 0 when it has none (or was archived). */
    static long lastSequence(Connection c, String streamId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(STREAM_END)) {
            ps.setString(1, streamId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** The account's lease epoch, 0 when its lease was never taken. */
    static long leaseEpoch(Connection c, String accountId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LEASE_EPOCH)) {
            ps.setString(1, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /**
     * Moves the account's lease to its next epoch and returns it, under the journal head's row lock: in order with
     * every append, so none admitted after this sees the old epoch as current. The caller commits.
     */
    static long takeLease(Connection c, String accountId, String takenAt) throws SQLException {
        lockHead(c);
        try (PreparedStatement ps = c.prepareStatement(LEASE_MOVE)) {
            ps.setString(1, takenAt);
            ps.setString(2, accountId);
            if (ps.executeUpdate() == 0) {
                try (PreparedStatement first = c.prepareStatement(LEASE_FIRST)) {
                    first.setString(1, accountId);
                    first.setString(2, takenAt);
                    first.executeUpdate();
                }
            }
        }
        return leaseEpoch(c, accountId);
    }

    /** Writes the events with consecutive sequences after the journal head; the caller commits. */
    static List<JournalRecord> write(Connection c, List<EventCodec.Encoded> events) throws SQLException {
        long first = takeSequences(c, events.size());
        List<JournalRecord> records = new ArrayList<>(events.size());
        try (PreparedStatement insert = c.prepareStatement(INSERT_EVENT);
             PreparedStatement open = c.prepareStatement(OPEN_STREAM);
             PreparedStatement fold = c.prepareStatement(FOLD_STREAM)) {
            long seq = first;
            for (EventCodec.Encoded encoded : events) {
                JournalEvent event = encoded.event();
                String at = Timestamps.format(event.at());
                insert.setLong(1, seq);
                insert.setString(2, event.streamId());
                insert.setString(3, event.streamKind());
                insert.setString(4, event.accountId());
                insert.setString(5, encoded.type());
                insert.setString(6, at);
                insert.setString(7, encoded.payload());
                insert.setLong(8, Checksums.of(seq, event.streamId(), encoded.type(), encoded.payload()));
                insert.addBatch();

                boolean transaction = JournalEvent.TRANSACTION.equals(event.streamKind());
                open.setString(1, event.streamId());
                open.setString(2, event.streamKind());
                open.setString(3, event.accountId());
                text(open, 4, transaction ? TransactionStatus.IN_PROGRESS.name() : null);
                open.setString(5, at);
                open.setLong(6, seq);
                open.setLong(7, seq);
                open.addBatch();

                fold(fold, event, seq);
                fold.addBatch();
                records.add(new JournalRecord(seq, event));
                seq++;
            }
            // Inserts of a stream already open are no-ops, so running all inserts before all folds is the same
            // as interleaving them: the first event of a stream in the batch sets first_seq.
            insert.executeBatch();
            open.executeBatch();
            fold.executeBatch();
        }
        return records;
    }

    private static long takeSequences(Connection c, int count) throws SQLException {
        try (PreparedStatement take = c.prepareStatement(TAKE_SEQUENCES)) {
            take.setLong(1, count);
            try (ResultSet rs = take.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("journal_head has no row: the schema is damaged");
                }
                return rs.getLong(1) - count + 1;
            }
        }
    }

    private static void fold(PreparedStatement fold, JournalEvent event, long seq) throws SQLException {
        TransactionStarted started = event instanceof TransactionStarted s ? s : null;
        TransactionEnded ended = event instanceof TransactionEnded e ? e : null;
        fold.setLong(1, seq);
        fold.setString(2, event.accountId());
        text(fold, 3, started == null ? null : started.operation());
        text(fold, 4, started == null ? null : started.correlationId());
        text(fold, 5, started == null ? null : Timestamps.format(started.at()));
        text(fold, 6, ended == null ? null : ended.status().name());
        fold.setInt(7, ended == null ? 0 : 1);
        text(fold, 8, ended == null ? null : ended.errorMessage());
        fold.setInt(9, event.closesStream() ? 1 : 0);
        fold.setInt(10, event.closesStream() ? 1 : 0);
        text(fold, 11, event.closesStream() ? Timestamps.format(event.at()) : null);
        fold.setString(12, event.streamId());
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
