package dev.keel.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the record checksums cannot see: the database's own structure and the views ({@code streams}) that
 * {@code tx list} and {@code ops list} read, checked against the events. Each method returns its findings, empty
 * when all is well.
 */
final class IntegrityCheck {
    /** Findings reported at most, so a badly damaged file still gives a short answer. */
    static final int MAX_FINDINGS = 20;
    /** A stream in the view whose span disagrees with its events, or events no stream in the view accounts for. */
    // Correlated MIN/MAX per stream walk the (stream_id, seq) index: the cost follows the streams checked, not the
    // whole history.
    private static final String STREAM_SPANS = "SELECT stream_id, view_first, view_last, events_first, events_last"
            + " FROM (SELECT s.stream_id, s.first_seq AS view_first, s.last_seq AS view_last,"
            + " (SELECT MIN(e.seq) FROM events e WHERE e.stream_id = s.stream_id) AS events_first,"
            + " (SELECT MAX(e.seq) FROM events e WHERE e.stream_id = s.stream_id) AS events_last"
            + " FROM streams s WHERE s.last_seq > ?) spans"
            + " WHERE events_last IS NULL OR events_first <> view_first OR events_last <> view_last";
    private static final String UNVIEWED_EVENTS = "SELECT e.stream_id, MIN(e.seq) FROM events e"
            + " WHERE e.seq > ? AND NOT EXISTS (SELECT 1 FROM streams s WHERE s.stream_id = e.stream_id)"
            + " GROUP BY e.stream_id";

    private IntegrityCheck() {
    }

    /**
     * The database's own check. SQLite: {@code PRAGMA integrity_check} when {@code full} (every page, every index
     * entry against its row), else {@code PRAGMA quick_check} (pages and structure, without matching indexes to
     * rows) plus a count of every index's entries against its table's rows, which finds a row missing from an
     * index in one pass over each. PostgreSQL checks its own pages; nothing is asked of it here.
     */
    static List<String> database(Connection c, Dialect dialect, boolean full) throws SQLException {
        List<String> findings = new ArrayList<>();
        if (dialect != Dialect.SQLITE) {
            return findings;
        }
        try (PreparedStatement ps = c.prepareStatement((full ? "PRAGMA integrity_check(" : "PRAGMA quick_check(")
                + MAX_FINDINGS + ")"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String line = rs.getString(1);
                if (!"ok".equalsIgnoreCase(line)) {
                    findings.add("SQLite " + (full ? "integrity_check" : "quick_check") + ": " + line);
                }
            }
        }
        if (!full && findings.isEmpty()) {
            findings.addAll(indexCounts(c));
        }
        return findings;
    }

    /** Every SQLite index holds as many entries as its table has rows. */
    private static List<String> indexCounts(Connection c) throws SQLException {
        List<String[]> indexes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'"
                + " AND tbl_name IN ('events', 'streams') ORDER BY name"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                indexes.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        List<String> findings = new ArrayList<>();
        for (String[] index : indexes) {
            long rows = count(c, "SELECT COUNT(*) FROM " + index[1] + " NOT INDEXED");
            long entries = count(c, "SELECT COUNT(*) FROM " + index[1] + " INDEXED BY \"" + index[0] + "\"");
            if (rows != entries) {
                findings.add("index " + index[0] + " holds " + entries + " entries for the " + rows + " rows of "
                        + index[1] + (index[1].equals("streams") ? ": 'keel tx list' and 'keel ops list' would miss"
                        + " or repeat transactions" : ": reads of a transaction's events would miss some"));
            }
        }
        return findings;
    }

    /**
     * The view of streams whose last record is after {@code afterSequence} against the events themselves: each
     * stream's first and last sequence, and every event's stream present in the view.
     */
    static List<String> views(Connection c, long afterSequence) throws SQLException {
        List<String> findings = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(STREAM_SPANS)) {
            ps.setLong(1, afterSequence);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && findings.size() < MAX_FINDINGS) {
                    String stream = rs.getString(1);
                    long viewFirst = rs.getLong(2);
                    long viewLast = rs.getLong(3);
                    long eventsFirst = rs.getLong(4);
                    long eventsLast = rs.getLong(5);
                    boolean none = rs.wasNull();
                    findings.add("view of " + stream + " spans records " + viewFirst + "-" + viewLast
                            + " but its events " + (none ? "are missing" : "span " + eventsFirst + "-" + eventsLast));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(UNVIEWED_EVENTS)) {
            ps.setLong(1, afterSequence);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && findings.size() < MAX_FINDINGS) {
                    findings.add("events of " + rs.getString(1) + " from record " + rs.getLong(2)
                            + " have no entry in the view: 'keel tx list' does not show it");
                }
            }
        }
        return findings;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
