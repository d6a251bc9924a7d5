package dev.keel.store;

import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.model.TransactionStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The read queries, the same for both dialects. */
final class JournalReads {
    static final String ROW_COLUMNS = "seq, stream_id, type, payload, checksum";
    static final String EVENTS_AFTER = "SELECT " + ROW_COLUMNS + " FROM events WHERE seq > ? ORDER BY seq";
    /** {@link #EVENTS_AFTER} with each record's link back to its stream's previous record. */
    static final String LINKED_EVENTS_AFTER = "SELECT " + ROW_COLUMNS + ", prev_seq FROM events WHERE seq > ?"
            + " ORDER BY seq";
    static final String OPEN_STREAMS = "SELECT stream_id FROM streams WHERE kind = ? AND closed = 0 ORDER BY first_seq";
    static final String OPEN_STREAM_ENDS = "SELECT stream_id, last_seq FROM streams WHERE kind = ? AND closed = 0"
            + " ORDER BY first_seq";
    static final String OPEN_STREAM_ACCOUNTS = "SELECT stream_id, account_id FROM streams WHERE kind = ?"
            + " AND closed = 0 ORDER BY first_seq";
    static final String OPEN_STREAMS_OF_ACCOUNT = "SELECT stream_id FROM streams WHERE account_id = ? AND kind = ?"
            + " AND closed = 0 ORDER BY first_seq";
    static final String SUMMARY_COLUMNS =
            "SELECT stream_id, account_id, operation, status, opened_at, closed_at, error_message, last_seq,"
                    + " CASE WHEN working_seq = last_seq THEN working END FROM streams";
    static final String TRANSACTION = SUMMARY_COLUMNS + " WHERE stream_id = ? AND kind = 'transaction'";
    static final String CORRELATED = SUMMARY_COLUMNS
            + " WHERE correlation_id = ? AND kind = 'transaction' ORDER BY first_seq";
    static final String RECENT = SUMMARY_COLUMNS + " WHERE kind = 'transaction' ORDER BY first_seq DESC LIMIT ?";
    static final String RECENT_OF_ACCOUNT = SUMMARY_COLUMNS
            + " WHERE account_id = ? AND kind = 'transaction' ORDER BY first_seq DESC LIMIT ?";
    /** {@link #RECENT} of the transactions in the status named by the first parameter. */
    static final String RECENT_IN_STATUS = SUMMARY_COLUMNS
            + " WHERE kind = 'transaction' AND status = ? ORDER BY first_seq DESC LIMIT ?";
    /** {@link #RECENT_OF_ACCOUNT} of the transactions in the status named by the second parameter. */
    static final String RECENT_OF_ACCOUNT_IN_STATUS = SUMMARY_COLUMNS
            + " WHERE account_id = ? AND kind = 'transaction' AND status = ? ORDER BY first_seq DESC LIMIT ?";

    private JournalReads() {
    }

    /**
     * {@link #RECENT} (with {@code ofAccount}, {@link #RECENT_OF_ACCOUNT}) of the transactions whose operation is one
     * of as many as {@code operations} parameters, which come after the account and before the limit.
     */
    static String recentOfOperations(boolean ofAccount, int operations) {
        return SUMMARY_COLUMNS + " WHERE " + (ofAccount ? "account_id = ? AND " : "") + "kind = 'transaction' AND"
                + " operation IN (" + String.join(", ", java.util.Collections.nCopies(operations, "?")) + ")"
                + " ORDER BY first_seq DESC LIMIT ?";
    }

    /**
     * {@link #EVENTS_AFTER} with the payload of the {@code types} named by the first parameters only (null for every
     * other record), then the sequence.
     */
    static String eventsOfTypesAfter(int types) {
        String in = types == 0 ? "NULL" : String.join(", ", java.util.Collections.nCopies(types, "?"));
        return "SELECT seq, stream_id, type, CASE WHEN type IN (" + in + ") THEN payload END, checksum FROM events"
                + " WHERE seq > ? ORDER BY seq";
    }

    static StoredRow row(ResultSet rs) throws SQLException {
        return new StoredRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5));
    }

    static TransactionSummary summary(ResultSet rs) throws SQLException {
        String status = rs.getString(4);
        return new TransactionSummary(rs.getString(1), rs.getString(2), rs.getString(3),
                status == null ? null : TransactionStatus.valueOf(status), Timestamps.parse(rs.getString(5)),
                Timestamps.parse(rs.getString(6)), rs.getString(7), rs.getLong(8), working(rs, 9));
    }

    private static Integer working(ResultSet rs, int column) throws SQLException {
        int working = rs.getInt(column);
        return rs.wasNull() ? null : working;
    }

    /** The last sequence handed out, archived or live. */
    static long head(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT last_seq FROM journal_head WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("journal_head has no row: the schema is damaged");
            }
            return rs.getLong(1);
        }
    }

    /**
     * The last live sequence whose record's time is before {@code at}, 0 when none: a binary search over sequences,
     * each probe the first live record at or after a sequence (archived ranges leave gaps).
     */
    static long sequenceBefore(Connection c, java.time.Instant at) throws SQLException {
        long lo = 0; // every record up to lo is known to be before at (0: none)
        long hi = head(c); // answers are at most hi
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT seq, at FROM events WHERE seq >= ? ORDER BY seq LIMIT 1")) {
            while (lo < hi) {
                long mid = lo + (hi - lo + 1) / 2;
                ps.setLong(1, mid);
                long seq;
                java.time.Instant time;
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        hi = mid - 1;
                        continue;
                    }
                    seq = rs.getLong(1);
                    time = Timestamps.parse(rs.getString(2));
                }
                if (time.isBefore(at)) {
                    lo = seq;
                    if (seq >= hi) {
                        break;
                    }
                } else {
                    hi = mid - 1;
                }
            }
        }
        return lo;
    }

    /** The archived runs that end after {@code afterSequence}, in order. */
    static List<SequenceCheck.Range> archivedRanges(Connection c, long afterSequence) throws SQLException {
        List<SequenceCheck.Range> ranges = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT first_seq, last_seq FROM archived_ranges WHERE last_seq > ? ORDER BY first_seq")) {
            ps.setLong(1, afterSequence);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ranges.add(new SequenceCheck.Range(rs.getLong(1), rs.getLong(2)));
                }
            }
        }
        return ranges;
    }
}
