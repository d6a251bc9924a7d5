package dev.keel.store;

import dev.keel.core.journal.JournalCorruptException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a stream by following its records' links back ({@code events.prev_seq}) from the view's last record: each
 * step a lookup by sequence, so no index by stream is kept up to date on every append (schema 6). The walk is checked
 * as it is read: every record it reaches is of the stream, and it ends where the stream begins (or where the caller
 * already knows it); a link that leads nowhere is damage and says so.
 */
final class StreamChain {
    /**
     * The stream's last record if it is after the second parameter. Most reads are of a stream read before, to which
     * nothing or one record was appended since: this answers them without the recursive walk's machinery.
     */
    static final String NEWEST = "SELECT e.seq, e.stream_id, e.type, e.payload, e.checksum, e.prev_seq, s.first_seq"
            + " FROM streams s JOIN events e ON e.seq = s.last_seq WHERE s.stream_id = ? AND e.seq > ?";
    /**
     * The records linked back from the one at the first parameter while their links are after the second, as the
     * walk finds them (newest first); put in order by the reader, not by the database, whose sort would copy every
     * payload once more.
     */
    static final String WALK = "WITH RECURSIVE chain (" + JournalReads.ROW_COLUMNS + ", prev_seq) AS ("
            + " SELECT " + JournalReads.ROW_COLUMNS + ", prev_seq FROM events WHERE seq = ?"
            + " UNION ALL"
            + " SELECT e.seq, e.stream_id, e.type, e.payload, e.checksum, e.prev_seq"
            + " FROM chain c JOIN events e ON e.seq = c.prev_seq WHERE c.prev_seq > ? AND c.prev_seq < c.seq)"
            + " SELECT " + JournalReads.ROW_COLUMNS + ", prev_seq FROM chain";
    /** A stream's records in a range of sequences, by scanning it: where a Keel from before schema 6 left no link. */
    static final String RANGE = "SELECT " + JournalReads.ROW_COLUMNS + " FROM events WHERE seq >= ? AND seq < ?"
            + " AND stream_id = ? ORDER BY seq";
    private static final Comparator<StoredRow> BY_SEQUENCE = Comparator.comparingLong(StoredRow::sequence);

    private StreamChain() {
    }

    /**
     * The records of {@code streamId} after {@code after}, in order, checksums not yet verified. With {@code after}
     * 0 the whole stream; otherwise null when the records found do not link back to {@code after} exactly (the
     * stream was archived and begun again, or a writer from before schema 6 appended to it): read it whole then.
     *
     * @throws JournalCorruptException when a link leads to a record that is missing, not earlier, or of another stream
     */
    static List<StoredRow> read(Statements st, String streamId, long after) throws SQLException {
        PreparedStatement newest = st.get(NEWEST);
        newest.setString(1, streamId);
        newest.setLong(2, after);
        List<StoredRow> rows = new ArrayList<>();
        Long link;
        long first;
        try (ResultSet rs = newest.executeQuery()) {
            if (!rs.next()) {
                return rows;
            }
            rows.add(of(streamId, rs));
            link = link(rs);
            first = rs.getLong(7);
        }
        if (link != null && link > after && link < rows.getFirst().sequence()) {
            link = walk(st, streamId, link, after, rows);
            rows.sort(BY_SEQUENCE);
        }
        StoredRow oldest = rows.getFirst();
        if (link != null) {
            if (link > after) {
                throw new JournalCorruptException(oldest.sequence(), "its link back to record " + link
                        + " of stream " + streamId + " leads to no earlier record of the stream");
            }
            return link == after ? rows : null;
        }
        if (after > 0) {
            return null;
        }
        if (oldest.sequence() > first) {
            // Records appended without links (by a Keel from before schema 6) end the walk early: the rest by range.
            List<StoredRow> earlier = range(st, streamId, first, oldest.sequence());
            earlier.addAll(rows);
            return earlier;
        }
        return rows;
    }

    /**
     * Adds the records linked back from {@code from} while their links are after {@code after}, and returns the link
     * of the oldest of them: {@code from} itself when no record is there.
     */
    private static Long walk(Statements st, String streamId, long from, long after, List<StoredRow> rows)
            throws SQLException {
        PreparedStatement walk = st.get(WALK);
        walk.setLong(1, from);
        walk.setLong(2, after);
        Long oldestLink = from;
        long oldest = Long.MAX_VALUE;
        try (ResultSet rs = walk.executeQuery()) {
            while (rs.next()) {
                StoredRow row = of(streamId, rs);
                if (row.sequence() < oldest) {
                    oldest = row.sequence();
                    oldestLink = link(rs);
                }
                rows.add(row);
            }
        }
        return oldestLink;
    }

    /** The row at the cursor, which must be of {@code streamId}. */
    private static StoredRow of(String streamId, ResultSet rs) throws SQLException {
        StoredRow row = JournalReads.row(rs);
        if (!row.streamId().equals(streamId)) {
            throw new JournalCorruptException(row.sequence(), "a link of stream " + streamId
                    + " leads to this record of stream " + row.streamId());
        }
        return row;
    }

    /** The link back in the sixth column, null where there is none. */
    private static Long link(ResultSet rs) throws SQLException {
        long link = rs.getLong(6);
        return rs.wasNull() ? null : link;
    }

    private static List<StoredRow> range(Statements st, String streamId, long from, long before) throws SQLException {
        PreparedStatement ps = st.get(RANGE);
        ps.setLong(1, from);
        ps.setLong(2, before);
        ps.setString(3, streamId);
        List<StoredRow> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(JournalReads.row(rs));
            }
        }
        return rows;
    }
}
