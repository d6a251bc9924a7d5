package dev.keel.store;

import dev.keel.core.journal.JournalCorruptException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a stream by following its records' links back ({@code events.prev_seq}) from the view's last record: each
 * step a lookup by sequence, so no index by stream is kept up to date on every append (schema 6). The walk is checked
 * as it is read: every record it reaches is of the stream, and it ends where the stream begins (or where the caller
 * already knows it); a link that leads nowhere is damage and says so.
 */
final class StreamChain {
    /** The stream's records after the second parameter, newest first in the walk, returned in sequence order. */
    static final String WALK = "WITH RECURSIVE chain (" + JournalReads.ROW_COLUMNS + ", prev_seq, first_seq) AS ("
            + " SELECT e.seq, e.stream_id, e.type, e.payload, e.checksum, e.prev_seq, s.first_seq"
            + " FROM streams s JOIN events e ON e.seq = s.last_seq WHERE s.stream_id = ? AND e.seq > ?"
            + " UNION ALL"
            + " SELECT e.seq, e.stream_id, e.type, e.payload, e.checksum, e.prev_seq, c.first_seq"
            + " FROM chain c JOIN events e ON e.seq = c.prev_seq WHERE c.prev_seq > ? AND c.prev_seq < c.seq)"
            + " SELECT " + JournalReads.ROW_COLUMNS + ", prev_seq, first_seq FROM chain ORDER BY seq";
    /** A stream's records in a range of sequences, by scanning it: where a Keel from before schema 6 left no link. */
    static final String RANGE = "SELECT " + JournalReads.ROW_COLUMNS + " FROM events WHERE seq >= ? AND seq < ? AND stream_id = ?"
            + " ORDER BY seq";

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
        PreparedStatement walk = st.get(WALK);
        walk.setString(1, streamId);
        walk.setLong(2, after);
        walk.setLong(3, after);
        List<StoredRow> rows = new ArrayList<>();
        Long oldestLink = null;
        long first = 0;
        try (ResultSet rs = walk.executeQuery()) {
            while (rs.next()) {
                StoredRow row = JournalReads.row(rs);
                if (!row.streamId().equals(streamId)) {
                    throw new JournalCorruptException(row.sequence(), "a link of stream " + streamId
                            + " leads to this record of stream " + row.streamId());
                }
                if (rows.isEmpty()) {
                    long link = rs.getLong(6);
                    oldestLink = rs.wasNull() ? null : link;
                    first = rs.getLong(7);
                }
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            return rows;
        }
        StoredRow oldest = rows.getFirst();
        if (oldestLink != null) {
            if (oldestLink > after) {
                throw new JournalCorruptException(oldest.sequence(), "its link back to record " + oldestLink
                        + " of stream " + streamId + " leads to no earlier record of the stream");
            }
            return oldestLink == after ? rows : null;
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
