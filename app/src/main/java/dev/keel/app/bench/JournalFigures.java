package dev.keel.app.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@code keel bench workers} run left in its journal: every ended transaction's end (for the latency from the
 * events' creation), their statuses, and how many records and payload bytes the journal holds per transaction.
 *
 * @param latencies nanoseconds from {@code created} to each transaction's end
 * @param lastEnd   the last transaction's end, or {@code created} when none ended
 * @param records   journal records (appended events), all streams included
 * @param bytes     the records' payload characters
 */
record JournalFigures(long ended, Map<String, Long> statuses, Latencies latencies, Instant lastEnd, long records,
                      long bytes) {

    /** Reads the rig's journal; {@code created} is when the events were created (all pushed at once). */
    static JournalFigures read(ScaleOutRig rig, Instant created) {
        Latencies latencies = new Latencies();
        Map<String, Long> statuses = new TreeMap<>();
        Instant last = created;
        long ended = 0;
        try (Connection c = rig.journalConnection()) {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT closed_at, status FROM streams"
                    + " WHERE kind = 'transaction' AND closed = 1")) {
                while (rs.next()) {
                    Instant end = Instant.parse(rs.getString(1));
                    latencies.add(Math.max(0, end.toEpochMilli() - created.toEpochMilli()) * 1_000_000L);
                    statuses.merge(rs.getString(2), 1L, Long::sum);
                    last = end.isAfter(last) ? end : last;
                    ended++;
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT count(*), coalesce(sum(length(payload)), 0) FROM events")) {
                rs.next();
                return new JournalFigures(ended, statuses, latencies, last, rs.getLong(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the run's journal " + rig.journalUrl() + ": "
                    + e.getMessage(), e);
        }
    }
}
