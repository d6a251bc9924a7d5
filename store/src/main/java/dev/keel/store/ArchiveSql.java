package dev.keel.store;

import dev.keel.core.journal.Journal.ArchiveResult;
import dev.keel.core.journal.JournalEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One archive run, inside the writer's transaction: the closed transactions that ended before the cutoff and all
 * their events go to a file, the file is recorded in {@code archives} with the runs of sequences it took, and the
 * rows leave the live tables. The file is written before the commit and deleted if the commit does not happen.
 */
final class ArchiveSql {
    /** The streams an archive run takes, after {@code FROM streams}: closed transactions ended before the cutoff. */
    private static final String ELIGIBLE = " WHERE kind = '" + JournalEvent.TRANSACTION
            + "' AND closed = 1 AND closed_at < ?";
    private static final String LOCK_HEAD = "UPDATE journal_head SET last_seq = last_seq WHERE id = 1";
    private static final String INSERT_ARCHIVE = "INSERT INTO archives (file, cutoff, created_at, transactions,"
            + " records, first_seq, last_seq) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING archive_id";
    private static final String INSERT_RANGE = "INSERT INTO archived_ranges (first_seq, last_seq, archive_id)"
            + " VALUES (?, ?, ?)";

    private ArchiveSql() {
    }

    static ArchiveResult run(Connection c, Instant cutoff, Path dir, Instant now) throws SQLException, IOException {
        return run(c, cutoff, dir, now, null);
    }

    /**
     * As {@link #run(Connection, Instant, Path, Instant)}, only transactions whose operation is one of
     * {@code operations} (null: every kind). Operation names are Keel's own ({@code bracket_order}...), checked to
     * be plain words before they become part of the SQL.
     */
    static ArchiveResult run(Connection c, Instant cutoff, Path dir, Instant now, Collection<String> operations)
            throws SQLException, IOException {
        String where = ELIGIBLE;
        if (operations != null) {
            for (String operation : operations) {
                if (!operation.matches("[a-z_]{1,64}")) {
                    throw new IllegalArgumentException("operation must be a plain name, but was '" + operation + "'");
                }
            }
            where += operations.isEmpty() ? " AND 1 = 0"
                    : " AND operation IN ('" + String.join("', '", operations) + "')";
        }
        String eligible = "SELECT stream_id FROM streams" + where;
        String cut = Timestamps.format(cutoff);
        // Taking the head row blocks every append (of any process) until this commits: nothing joins a stream
        // between reading its events and deleting them.
        try (PreparedStatement lock = c.prepareStatement(LOCK_HEAD)) {
            lock.executeUpdate();
        }
        long[] span = span(c, cut, "SELECT MIN(first_seq), MAX(last_seq) FROM streams" + where);
        if (span == null) {
            return new ArchiveResult(null, 0, 0);
        }
        // No index by stream (schema 6): the events are found in the sequences the eligible streams span.
        String theirEvents = "FROM events WHERE seq >= " + span[0] + " AND seq <= " + span[1] + " AND stream_id IN ("
                + eligible + ")";
        List<StoredRow> rows = rows(c, cut, theirEvents);
        if (rows.isEmpty()) {
            return new ArchiveResult(null, 0, 0);
        }
        Set<String> streams = new HashSet<>();
        rows.forEach(row -> streams.add(row.verified().streamId()));
        long first = rows.getFirst().sequence();
        long last = rows.getLast().sequence();
        Path file = dir.resolve("journal-" + first + "-" + last + "-" + now.toEpochMilli() + ".jsonl.gz")
                .toAbsolutePath();
        ArchiveFile.write(file, rows);
        try {
            long archiveId = insertArchive(c, file, cut, now, streams.size(), rows);
            insertRanges(c, archiveId, rows);
            expect(delete(c, "DELETE " + theirEvents, cut), rows.size(), "events");
            expect(delete(c, "DELETE FROM streams WHERE stream_id IN (" + eligible + ")", cut), streams.size(),
                    "streams");
            if (operations == null) {
                pruneTallies(c, cutoff);
            }
            return new ArchiveResult(file, streams.size(), rows.size());
        } catch (SQLException | RuntimeException e) {
            // The caller rolls back; the file must not outlive the rows it copied staying live.
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * A whole archive also drops the tallies of the minutes before its cutoff (schema 7), which keeps them to the
     * live journal's span: the health report's windows are of the recent past, and a window reaching back past an
     * archive's cutoff could not count the archived records before either.
     */
    private static void pruneTallies(Connection c, Instant cutoff) throws SQLException {
        for (String table : List.of("tallies", "tally_attention")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE minute < ?")) {
                ps.setLong(1, dev.keel.core.journal.Tallies.minute(cutoff));
                ps.executeUpdate();
            }
        }
    }

    /** The first and last sequence of the eligible streams ({@code sql}), null when there are none. */
    private static long[] span(Connection c, String cutoff, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, cutoff);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long first = rs.getLong(1);
                return rs.wasNull() ? null : new long[] {first, rs.getLong(2)};
            }
        }
    }

    private static List<StoredRow> rows(Connection c, String cutoff, String theirEvents) throws SQLException {
        List<StoredRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + JournalReads.ROW_COLUMNS + " " + theirEvents
                + " ORDER BY seq")) {
            ps.setString(1, cutoff);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(JournalReads.row(rs));
                }
            }
        }
        return rows;
    }

    private static long insertArchive(Connection c, Path file, String cutoff, Instant now, int transactions,
                                      List<StoredRow> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_ARCHIVE)) {
            ps.setString(1, file.toString());
            ps.setString(2, cutoff);
            ps.setString(3, Timestamps.format(now));
            ps.setInt(4, transactions);
            ps.setLong(5, rows.size());
            ps.setLong(6, rows.getFirst().sequence());
            ps.setLong(7, rows.getLast().sequence());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Records the archived sequences as runs of consecutive numbers. */
    private static void insertRanges(Connection c, long archiveId, List<StoredRow> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_RANGE)) {
            long start = rows.getFirst().sequence();
            long previous = start;
            for (StoredRow row : rows.subList(1, rows.size())) {
                if (row.sequence() != previous + 1) {
                    addRange(ps, start, previous, archiveId);
                    start = row.sequence();
                }
                previous = row.sequence();
            }
            addRange(ps, start, previous, archiveId);
            ps.executeBatch();
        }
    }

    private static void addRange(PreparedStatement ps, long first, long last, long archiveId) throws SQLException {
        ps.setLong(1, first);
        ps.setLong(2, last);
        ps.setLong(3, archiveId);
        ps.addBatch();
    }

    private static int delete(Connection c, String sql, String cutoff) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, cutoff);
            return ps.executeUpdate();
        }
    }

    private static void expect(int actual, int expected, String table) throws SQLException {
        if (actual != expected) {
            throw new SQLException("archive would delete " + actual + " rows of " + table + " but copied "
                    + expected + "; nothing was archived");
        }
    }
}
