package dev.keel.store;

import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.Tallies;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The reads of {@link JdbcJournal#tallies}: the rows the writers tallied (schema 7), and the records of any run of
 * sequences no writer tallied ({@code untallied_ranges}, and past the head's {@code tallied_seq}), counted from the
 * records themselves (written before the migration, or by a Keel from
 * before it during a rolling upgrade), so the answer is the same either way.
 */
final class TallyReads {
    private static final String METERS = "SELECT meter, SUM(n), SUM(total), MAX(peak) FROM tallies WHERE minute >= ?"
            + " GROUP BY meter";
    private static final String MARKED = "SELECT DISTINCT stream_id FROM tally_attention WHERE minute >= ?";
    private static final String UNTALLIED = "SELECT after_seq, up_to_seq FROM untallied_ranges WHERE up_to_seq > ?"
            + " ORDER BY after_seq";
    private static final String HEAD = "SELECT last_seq, tallied_seq FROM journal_head WHERE id = 1";
    /** The records of the types {@link Tallies#COUNTED} in a run of sequences: no other counts anything. */
    private static final String EVENTS_BETWEEN = "SELECT " + JournalReads.ROW_COLUMNS + " FROM events"
            + " WHERE seq > ? AND seq <= ? AND type IN (" + Tallies.COUNTED.stream()
            .map(t -> "'" + t.getSimpleName() + "'").sorted().collect(java.util.stream.Collectors.joining(", "))
            + ") ORDER BY seq";
    private static final String OPENED_AT = "SELECT opened_at FROM streams WHERE stream_id = ?";

    private TallyReads() {
    }

    /** In the caller's snapshot: the tallies of minutes from {@code from}'s, and of untallied records from it. */
    static Tallies.Window window(Connection c, Instant from) throws SQLException {
        long minute = Tallies.minute(from);
        Map<String, Tallies.Tally> meters = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(METERS)) {
            ps.setLong(1, minute);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    meters.put(rs.getString(1), new Tallies.Tally(rs.getLong(2), rs.getDouble(3), rs.getDouble(4)));
                }
            }
        }
        Set<String> marked = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement(MARKED)) {
            ps.setLong(1, minute);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    marked.add(rs.getString(1));
                }
            }
        }
        Tallies.Counter untallied = new Tallies.Counter();
        for (long[] gap : untallied(c, JournalReads.sequenceBefore(c, from))) {
            for (JournalRecord r : records(c, gap[0], gap[1])) {
                untallied.count(r.event(), from, txId -> openedAt(c, txId));
            }
        }
        Tallies.Window counted = untallied.window();
        counted.meters().forEach((k, t) -> meters.merge(k, t, Tallies.Tally::merge));
        marked.addAll(counted.attention());
        return new Tallies.Window(meters, marked);
    }

    /**
     * The runs of sequences after {@code after} that no writer tallied, each as {after a, up to b}: those recorded, and
     * any after the head's last tallied sequence (a writer from before the tallies appended last).
     */
    static List<long[]> untallied(Connection c, long after) throws SQLException {
        List<long[]> gaps = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(UNTALLIED)) {
            ps.setLong(1, after);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    gaps.add(new long[] {Math.max(after, rs.getLong(1)), rs.getLong(2)});
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(HEAD); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("journal_head has no row: the schema is damaged");
            }
            long head = rs.getLong(1);
            long tallied = rs.getLong(2);
            if (tallied < head) {
                gaps.add(new long[] {Math.max(after, tallied), head});
            }
        }
        return gaps;
    }

    /** The live records in (after, upTo] that can count, checked and decoded; read whole before any is counted. */
    private static List<JournalRecord> records(Connection c, long after, long upTo) throws SQLException {
        List<StoredRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(EVENTS_BETWEEN)) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(JournalReads.row(rs));
                }
            }
        }
        List<JournalRecord> records = new ArrayList<>(rows.size());
        rows.forEach(row -> records.add(EventCodec.decodeVerified(row.verified())));
        return records;
    }

    private static Instant openedAt(Connection c, String streamId) {
        try (PreparedStatement ps = c.prepareStatement(OPENED_AT)) {
            ps.setString(1, streamId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Timestamps.parse(rs.getString(1)) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading when stream " + streamId + " opened: " + e.getMessage(), e);
        }
    }
}
