package dev.keel.store;

import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.Tallies;
import dev.keel.core.journal.TransactionEnded;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The writer's side of the tallies (schema 7), in the append batch's transaction with its events and views: what
 * the batch's records count on their own, added to their minutes' rows, and the transactions they mark for the
 * health report to read ({@link Tallies}). PostgreSQL writes the counts and marks in its batch's one statement
 * ({@link PostgresAppend}); the untallied runs are the same SQL for both. {@link TallyReads} is the reader's side.
 */
final class TallyWrites {
    private static final String TALLY = "INSERT INTO tallies (minute, meter, n, total, peak) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (minute, meter) DO UPDATE SET n = tallies.n + excluded.n,"
            + " total = tallies.total + excluded.total,"
            + " peak = CASE WHEN excluded.peak > tallies.peak THEN excluded.peak ELSE tallies.peak END";
    private static final String MARK = "INSERT INTO tally_attention (minute, stream_id) VALUES (?, ?)"
            + " ON CONFLICT (minute, stream_id) DO NOTHING";
    private static final String UNTALLIED = "INSERT INTO untallied_ranges (after_seq, up_to_seq) VALUES (?, ?)";
    private static final String TALLIED_UP_TO = "UPDATE journal_head SET tallied_seq = ? WHERE id = 1";

    private TallyWrites() {
    }

    /**
     * What the batch's records count on their own, by minute, and the transactions {@link Tallies#attention} marks.
     *
     * @param openedAt when a stream opened, for a transaction's ending (its duration); null when not known
     */
    static Tallies.Counter count(List<EventCodec.Encoded> events, Function<String, Instant> openedAt) {
        Tallies.Counter counter = new Tallies.Counter();
        for (EventCodec.Encoded encoded : events) {
            JournalEvent event = encoded.event();
            counter.add(event, event instanceof TransactionEnded ? openedAt.apply(event.streamId()) : null);
        }
        return counter;
    }

    /** Adds what {@code counter} counted to its minutes' tallies and marks the transactions the report must read. */
    static void write(Statements st, Tallies.Counter counter) throws SQLException {
        if (!counter.byMinute().isEmpty()) {
            PreparedStatement ps = st.get(TALLY);
            for (Map.Entry<Long, Map<String, Tallies.Tally>> minute : counter.byMinute().entrySet()) {
                for (Map.Entry<String, Tallies.Tally> meter : minute.getValue().entrySet()) {
                    ps.setLong(1, minute.getKey());
                    ps.setString(2, meter.getKey());
                    ps.setLong(3, meter.getValue().count());
                    ps.setDouble(4, meter.getValue().total());
                    ps.setDouble(5, meter.getValue().max());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        if (!counter.marked().isEmpty()) {
            PreparedStatement ps = st.get(MARK);
            for (Map.Entry<Long, Set<String>> minute : counter.marked().entrySet()) {
                for (String streamId : minute.getValue()) {
                    ps.setLong(1, minute.getKey());
                    ps.setString(2, streamId);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /**
     * The batch's take of sequences moved the head's last tallied sequence with them when every record before the
     * batch was tallied; when it did not ({@code talliedAfterTake} is not {@code last}), a writer from before the
     * tallies wrote what lies between: that run is recorded as untallied, and the head's tallied sequence moved to the
     * batch's last.
     */
    static void gap(Statements st, long talliedAfterTake, long first, long last) throws SQLException {
        if (talliedAfterTake != last) {
            PreparedStatement gap = st.get(UNTALLIED);
            gap.setLong(1, talliedAfterTake);
            gap.setLong(2, first - 1);
            gap.executeUpdate();
            PreparedStatement head = st.get(TALLIED_UP_TO);
            head.setLong(1, last);
            head.executeUpdate();
        }
    }
}
