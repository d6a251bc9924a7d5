package dev.keel.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the record checksums cannot see: the database's own structure and the views ({@code streams}) that
 * {@code tx list} and {@code ops list} read, checked against the events. Each method returns its findings, empty
 * when all is well.
 */
final class IntegrityCheck {
    /** Findings reported at most, so a badly damaged file still gives a short answer. */
    static final int MAX_FINDINGS = 20;
    private static final String VIEWS_AFTER = "SELECT stream_id, first_seq, last_seq FROM streams WHERE last_seq > ?";
    private static final String VIEW = "SELECT first_seq, last_seq FROM streams WHERE stream_id = ?";
    private static final String STREAM_OF = "SELECT stream_id FROM events WHERE seq = ?";

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

    /**
     * {@link #database} for a reader: every table but the events, each with its indexes (the views, the tallies, the
     * archives' list). SQLite's {@code integrity_check} of each when {@code full}, else its {@code quick_check} and the
     * count of the views' indexes against their rows, as {@link #database} chooses by the file's size. The events
     * check themselves as they are read (each record's checksum, sequences without gaps, each stream's links back), so
     * their table, most of the file, is left out: the cost grows with the transactions, not with their records
     * (issue 15). PostgreSQL checks its own pages.
     */
    static List<String> readersTables(Connection c, Dialect dialect, boolean full) throws SQLException {
        List<String> findings = new ArrayList<>();
        if (dialect != Dialect.SQLITE) {
            return findings;
        }
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM sqlite_master WHERE type = 'table'"
                + " AND name <> 'events' AND name NOT LIKE 'sqlite_%' ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        String pragma = full ? "integrity_check" : "quick_check";
        for (String table : tables) {
            try (PreparedStatement ps = c.prepareStatement("PRAGMA " + pragma + "(\"" + table + "\")");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next() && findings.size() < MAX_FINDINGS) {
                    String line = rs.getString(1);
                    if (!"ok".equalsIgnoreCase(line)) {
                        findings.add("SQLite " + pragma + " of " + table + ": " + line);
                    }
                }
            }
        }
        if (!full && findings.isEmpty()) {
            findings.addAll(indexCounts(c, "'streams'"));
        }
        return findings;
    }

    /** Every SQLite index holds as many entries as its table has rows. */
    private static List<String> indexCounts(Connection c) throws SQLException {
        return indexCounts(c, "'events', 'streams'");
    }

    /** Every SQLite index of the {@code tables} (a quoted SQL list) holds as many entries as its table has rows. */
    private static List<String> indexCounts(Connection c, String tables) throws SQLException {
        List<String[]> indexes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'"
                + " AND tbl_name IN (" + tables + ") ORDER BY name"); ResultSet rs = ps.executeQuery()) {
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
     * The view of streams whose last record is after {@code afterSequence} against the records after it, as
     * {@code spans} gathered them: each stream's first and last sequence, every record's stream present in the view,
     * and each stream's records linked back in order, the first of them to an earlier record of the same stream.
     */
    static List<String> views(Connection c, long afterSequence, StreamSpans spans) throws SQLException {
        List<String> findings = new ArrayList<>(spans.findings());
        Map<String, StreamSpans.Span> unviewed = new LinkedHashMap<>(spans.spans());
        try (PreparedStatement views = c.prepareStatement(VIEWS_AFTER);
             PreparedStatement view = c.prepareStatement(VIEW);
             PreparedStatement streamOf = c.prepareStatement(STREAM_OF)) {
            views.setLong(1, afterSequence);
            try (ResultSet rs = views.executeQuery()) {
                while (rs.next() && findings.size() < MAX_FINDINGS) {
                    String stream = rs.getString(1);
                    addIfAny(findings, compare(streamOf, stream, rs.getLong(2), rs.getLong(3),
                            unviewed.remove(stream), afterSequence));
                }
            }
            for (Map.Entry<String, StreamSpans.Span> e : unviewed.entrySet()) {
                if (findings.size() >= MAX_FINDINGS) {
                    break;
                }
                view.setString(1, e.getKey());
                try (ResultSet rs = view.executeQuery()) {
                    addIfAny(findings, rs.next()
                            ? compare(streamOf, e.getKey(), rs.getLong(1), rs.getLong(2), e.getValue(), afterSequence)
                            : "events of " + e.getKey() + " from record " + e.getValue().first + " have no entry in"
                            + " the view: 'keel tx list' does not show it");
                }
            }
        }
        return findings;
    }

    private static void addIfAny(List<String> findings, String finding) {
        if (finding != null) {
            findings.add(finding);
        }
    }

    /**
     * Whether the records after {@code after} hold, as the database sums them up, without reading them one by one: a
     * reader's open, whose records are checked (checksum and place) as they are read. It asks what a read of them in
     * order checks ({@link SequenceCheck}'s places, {@link StreamSpans}' links) and what {@link #views} then holds
     * against the view of streams, in one statement whose answer is a few numbers. False when anything does not add up,
     * or when the archived ranges are too many to count one by one: the records then have to be read in order, which
     * names what is wrong. Issue 15: reading the newest 10,000 records one by one was a fifth of {@code keel tx list}.
     *
     * <p>The places hold when the live records after {@code after} lie within the head, none inside an archived
     * range, and their count and the archived positions make up every position up to the head (sequences are the
     * events' key, so none is counted twice). The links and views hold on the conditions under which {@link #compare}
     * finds nothing, written as SQL ({@link #TAIL_FAULTS}).
     */
    static boolean tailHolds(Connection c, long after, long head, List<SequenceCheck.Range> archived)
            throws SQLException {
        if (archived.size() > MAX_COUNTED_RANGES) {
            return false;
        }
        long archivedPositions = 0;
        long previous = Long.MIN_VALUE;
        try (PreparedStatement inside = c.prepareStatement(LIVE_BETWEEN)) {
            for (SequenceCheck.Range range : archived) {
                if (range.first() <= previous) {
                    return false; // ranges that overlap would be counted twice
                }
                previous = range.last();
                long from = Math.max(range.first(), after + 1);
                long to = Math.min(range.last(), head);
                if (from > to) {
                    continue;
                }
                archivedPositions += to - from + 1;
                inside.setLong(1, from);
                inside.setLong(2, to);
                if (count(inside) != 0) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(TAIL_FAULTS)) {
            for (int parameter = 1; parameter <= 4; parameter++) {
                ps.setLong(parameter, after); // every parameter of the statement is the sequence
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                long live = rs.getLong(1);
                long last = rs.getLong(2);
                return rs.getLong(3) == 0 && rs.getLong(4) == 0 && last <= head
                        && live + archivedPositions == head - after;
            }
        }
    }

    /** Archived ranges {@link #tailHolds} counts one by one at most; with more, the records are read instead. */
    private static final int MAX_COUNTED_RANGES = 256;
    private static final String LIVE_BETWEEN = "SELECT COUNT(*) FROM events WHERE seq BETWEEN ? AND ?";
    /**
     * For the records after a sequence (each {@code ?}): how many, the last, the streams among them whose records or
     * view {@link #compare} or {@link StreamSpans} would find fault with, and the views ending after the sequence that
     * have no records there. {@code linked}: each record with the one before it in its stream among these (one pass,
     * sorted by stream); {@code spans}: each stream's first record, that record's link back, its last, its count, and
     * its records whose link back is not the one before them.
     */
    static final String TAIL_FAULTS = "WITH linked AS (SELECT stream_id, seq, prev_seq, LAG(seq) OVER (PARTITION BY"
            + " stream_id ORDER BY seq) AS before_seq FROM events WHERE seq > ?),"
            + " spans AS (SELECT stream_id, MIN(seq) AS first_seq, MAX(CASE WHEN before_seq IS NULL THEN prev_seq END)"
            + " AS first_link, MAX(seq) AS last_seq, COUNT(*) AS records, SUM(CASE WHEN before_seq IS NOT NULL AND"
            + " prev_seq IS NOT NULL AND prev_seq <> before_seq THEN 1 ELSE 0 END) AS mislinked FROM linked GROUP BY"
            + " stream_id)"
            + " SELECT COALESCE(SUM(s.records), 0), COALESCE(MAX(s.last_seq), 0),"
            + " COALESCE(SUM(CASE WHEN s.mislinked <> 0 OR v.stream_id IS NULL OR v.last_seq <> s.last_seq"
            + " OR (s.first_link IS NULL AND v.first_seq <> s.first_seq AND v.first_seq > ?)"
            + " OR (s.first_link IS NOT NULL AND (s.first_link >= s.first_seq OR s.first_link > ?"
            + " OR l.stream_id IS NULL OR l.stream_id <> s.stream_id OR v.first_seq > s.first_link))"
            + " THEN 1 ELSE 0 END), 0),"
            + " (SELECT COUNT(*) FROM streams o WHERE o.last_seq > ? AND o.stream_id NOT IN (SELECT stream_id FROM"
            + " spans))"
            + " FROM spans s LEFT JOIN streams v ON v.stream_id = s.stream_id LEFT JOIN events l ON l.seq = s.first_link";

    /** What is wrong with one stream's view against its records after {@code after}, null when nothing is. */
    private static String compare(PreparedStatement streamOf, String stream, long first, long last,
                                  StreamSpans.Span span, long after) throws SQLException {
        String view = "view of " + stream + " spans records " + first + "-" + last;
        if (span == null) {
            return view + " but its events are missing";
        }
        if (span.firstLink == null) {
            // The stream begins here, or (a record from before schema 6, unlinked) began before the records read.
            if (span.last != last || (first != span.first && first > after)) {
                return view + " but its events span " + span.first + "-" + span.last;
            }
            return null;
        }
        if (span.last != last) {
            return view + " but its events end at record " + span.last;
        }
        String linked = null;
        if (span.firstLink < span.first && span.firstLink <= after) {
            streamOf.setLong(1, span.firstLink);
            try (ResultSet rs = streamOf.executeQuery()) {
                linked = rs.next() ? rs.getString(1) : null;
            }
        }
        if (!stream.equals(linked)) {
            return "record " + span.first + " of " + stream + " links back to record " + span.firstLink + ", which is "
                    + (linked == null ? "not an earlier record of the stream" : "of " + linked)
                    + ": a read of the stream would miss records";
        }
        return first <= span.firstLink ? null : view + " but its records reach back to " + span.firstLink;
    }

    private static long count(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            return count(ps);
        }
    }
}
