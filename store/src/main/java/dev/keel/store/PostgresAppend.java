package dev.keel.store;

import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.Tallies;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * A batch written to PostgreSQL in two trips to its server, whatever its size: the take of its sequences together with
 * the read of its streams' rows; then one statement that writes its events, opens the streams the view has no row of,
 * folds those it has, and adds its tallies and marks (data-modifying {@code WITH}s over arrays the statement takes as
 * parameters, so the server prepares it once for every batch size), sent together with the commit.
 * {@link AppendSql} works out the rows for both dialects and gives them to SQLite statement by statement, where a
 * statement costs no trip; to PostgreSQL each was one (six a batch with its commit, and a read for every 64 streams),
 * and a trip costs what the network between Keel and its database costs (issue 15: 0.9 ms on a link of that round
 * trip, 0.25-0.3 ms on a busy machine's own loopback).
 *
 * <p>Which streams have a row is known: the batch read the view's ends after taking the journal head's row lock,
 * which every writer of the view takes first. The statement refuses the batch, before its commit, when the rows it
 * opened and folded are not those the batch read, rather than leave a stream's events outside its view.
 */
final class PostgresAppend {
    private static final String WRITE = "WITH new_events AS ("
            + " INSERT INTO events (seq, stream_id, stream_kind, account_id, type, at, payload, checksum, prev_seq)"
            + " SELECT " + unnest("bigint", "text", "text", "text", "text", "text", "text", "bigint", "bigint")
            + "), to_open AS ("
            + " SELECT " + unnest("text", "text", "text", "text", "text", "text", "text", "smallint", "text", "text",
                    "bigint", "bigint", "integer", "bigint")
            + "), opened AS ("
            + " INSERT INTO streams (stream_id, kind, account_id, operation, correlation_id, status, opened_at, closed,"
            + " closed_at, error_message, first_seq, last_seq, working, working_seq)"
            + " SELECT * FROM to_open RETURNING 1"
            + "), to_fold AS ("
            + " SELECT * FROM (SELECT " + unnest("text", "bigint", "text", "text", "text", "text", "text", "boolean",
                    "text", "text", "integer", "bigint") + ")"
            + " AS v(stream_id, last_seq, account_id, operation, correlation_id, opened_at, status, ended,"
            + " error_message, closed_at, working, working_seq)"
            + "), folded AS ("
            + " UPDATE streams s SET last_seq = v.last_seq,"
            + " account_id = COALESCE(s.account_id, v.account_id),"
            + " operation = COALESCE(v.operation, s.operation),"
            + " correlation_id = COALESCE(v.correlation_id, s.correlation_id),"
            + " opened_at = COALESCE(v.opened_at, s.opened_at),"
            + " status = COALESCE(v.status, s.status),"
            + " error_message = CASE WHEN v.ended THEN v.error_message ELSE s.error_message END,"
            + " closed = CASE WHEN v.closed_at IS NOT NULL THEN 1 ELSE s.closed END,"
            + " closed_at = COALESCE(v.closed_at, s.closed_at),"
            + " working = v.working, working_seq = v.working_seq"
            + " FROM to_fold v WHERE s.stream_id = v.stream_id"
            + " RETURNING 1"
            + "), tallied AS ("
            + " INSERT INTO tallies (minute, meter, n, total, peak)"
            + " SELECT " + unnest("bigint", "text", "bigint", "double precision", "double precision")
            + " ON CONFLICT (minute, meter) DO UPDATE SET n = tallies.n + excluded.n,"
            + " total = tallies.total + excluded.total,"
            + " peak = CASE WHEN excluded.peak > tallies.peak THEN excluded.peak ELSE tallies.peak END"
            + "), marked AS ("
            + " INSERT INTO tally_attention (minute, stream_id) SELECT " + unnest("bigint", "text")
            + " ON CONFLICT (minute, stream_id) DO NOTHING"
            // Refuses the batch before its commit when the rows opened or folded are not the batch's: a cast that
            // fails is how one SQL statement raises an error with its own message.
            + ") SELECT CASE WHEN (SELECT count(*) FROM opened) = (SELECT count(*) FROM to_open)"
            + " AND (SELECT count(*) FROM folded) = (SELECT count(*) FROM to_fold) THEN 1"
            + " ELSE CAST(concat('keel: the streams view moved under the journal head''s lock: opened ',"
            + " (SELECT count(*) FROM opened), ' of ', (SELECT count(*) FROM to_open), ' new streams, folded ',"
            + " (SELECT count(*) FROM folded), ' of ', (SELECT count(*) FROM to_fold)) AS integer) END"
            + "; COMMIT";

    /**
     * The take of a batch's sequences and the read of its streams' rows, sent together: the read is a statement of its
     * own after the take, so it reads (read committed) what every writer committed before this one took the lock.
     */
    private static final String TAKE = AppendSql.TAKE_SEQUENCES + "; SELECT stream_id, last_seq, account_id, opened_at"
            + " FROM streams WHERE stream_id = ANY (?::text[])";

    private PostgresAppend() {
    }

    /**
     * A select list of one {@code unnest} per array parameter, of the SQL types given, which the server zips into rows
     * (the arrays are of equal length). In the select list rather than {@code FROM unnest(...)}: the server first
     * materializes a function in {@code FROM} into a tuplestore, 16 KB of memory each, and five of them a statement took
     * the server process past glibc's trim threshold, so every execution grew its heap, faulted its pages in and gave
     * them back (issue 15: ~0.35 ms a statement; one append at a time ran at half the speed).
     */
    private static String unnest(String... types) {
        StringJoiner select = new StringJoiner(", ");
        for (String type : types) {
            select.add("unnest(?::" + type + "[])");
        }
        return select.toString();
    }

    /** Takes {@code count} sequences and reads the rows of {@code streamIds} the view has, in one trip. */
    static AppendSql.Taken take(Statements st, int count, Collection<String> streamIds) throws SQLException {
        PreparedStatement ps = st.get(TAKE);
        ps.setLong(1, count);
        ps.setLong(2, count);
        set(st.connection(), ps, 3, "text", streamIds.toArray(String[]::new));
        if (!ps.execute()) {
            throw new SQLException("the take of sequences answered no rows");
        }
        long[] taken;
        try (ResultSet rs = ps.getResultSet()) {
            taken = AppendSql.taken(rs, count);
        }
        if (!ps.getMoreResults()) {
            throw new SQLException("the read of the streams' ends answered no rows");
        }
        Map<String, AppendSql.StreamEnd> ends = new HashMap<>();
        try (ResultSet rs = ps.getResultSet()) {
            while (rs.next()) {
                AppendSql.streamEnd(rs, ends);
            }
        }
        return new AppendSql.Taken(taken, ends);
    }

    /**
     * Writes {@code rows}, opens or folds the streams of {@code folds} ({@code ends} holds the rows the view has, read
     * under the head's lock), adds {@code counter}'s tallies and marks, and commits, in one trip: the transaction's
     * last work. A failure the server answered before the commit (the transaction failed, nothing written) is thrown
     * as it is, and the writer writes the batch's appends again one by one; any other (the connection lost on the
     * way, the commit itself refused) leaves the outcome unknown, {@link GroupCommitWriter.CommitFailed}.
     */
    static void writeAndCommit(Statements st, List<AppendSql.Row> rows, Collection<AppendSql.StreamFold> folds,
                               Map<String, AppendSql.StreamEnd> ends, Tallies.Counter counter) throws SQLException {
        Connection c = st.connection();
        PreparedStatement ps = st.get(WRITE);
        int p = 1;
        p = events(c, ps, p, rows);
        List<AppendSql.StreamFold> opening = new ArrayList<>();
        List<AppendSql.StreamFold> folding = new ArrayList<>();
        for (AppendSql.StreamFold f : folds) {
            (ends.containsKey(f.streamId) ? folding : opening).add(f);
        }
        p = openings(c, ps, p, opening);
        p = foldings(c, ps, p, folding);
        p = tallies(c, ps, p, counter);
        marks(c, ps, p, counter);
        try {
            ps.execute();
        } catch (SQLException e) {
            if (failedBeforeTheCommit(c)) {
                throw e;
            }
            throw new GroupCommitWriter.CommitFailed(e);
        }
    }

    /**
     * Whether the server answered that the transaction failed: then the commit sent behind the failed statement was
     * not run (the server skips what follows an error up to the trip's end), and nothing of it is written.
     */
    private static boolean failedBeforeTheCommit(Connection c) {
        try {
            return !c.isClosed()
                    && c.unwrap(BaseConnection.class).getTransactionState() == TransactionState.FAILED;
        } catch (SQLException e) {
            return false;
        }
    }

    private static int events(Connection c, PreparedStatement ps, int p, List<AppendSql.Row> rows)
            throws SQLException {
        int n = rows.size();
        Long[] seq = new Long[n];
        String[] streamId = new String[n];
        String[] kind = new String[n];
        String[] accountId = new String[n];
        String[] type = new String[n];
        String[] at = new String[n];
        String[] payload = new String[n];
        Long[] checksum = new Long[n];
        Long[] previous = new Long[n];
        for (int i = 0; i < n; i++) {
            AppendSql.Row row = rows.get(i);
            JournalEvent event = row.event();
            seq[i] = row.seq();
            streamId[i] = event.streamId();
            kind[i] = event.streamKind();
            accountId[i] = event.accountId();
            type[i] = row.type();
            at[i] = row.at();
            payload[i] = row.payload();
            checksum[i] = row.checksum();
            previous[i] = row.previous();
        }
        p = set(c, ps, p, "bigint", seq);
        p = set(c, ps, p, "text", streamId);
        p = set(c, ps, p, "text", kind);
        p = set(c, ps, p, "text", accountId);
        p = set(c, ps, p, "text", type);
        p = set(c, ps, p, "text", at);
        p = set(c, ps, p, "text", payload);
        p = set(c, ps, p, "bigint", checksum);
        return set(c, ps, p, "bigint", previous);
    }

    /** New streams' rows: what their first record opens and their batch's records fold into it, as one row. */
    private static int openings(Connection c, PreparedStatement ps, int p, List<AppendSql.StreamFold> opening)
            throws SQLException {
        int n = opening.size();
        String[] streamId = new String[n];
        String[] kind = new String[n];
        String[] accountId = new String[n];
        String[] operation = new String[n];
        String[] correlationId = new String[n];
        String[] status = new String[n];
        String[] openedAt = new String[n];
        Short[] closed = new Short[n];
        String[] closedAt = new String[n];
        String[] errorMessage = new String[n];
        Long[] firstSeq = new Long[n];
        Long[] lastSeq = new Long[n];
        Integer[] working = new Integer[n];
        Long[] workingSeq = new Long[n];
        for (int i = 0; i < n; i++) {
            AppendSql.StreamFold f = opening.get(i);
            streamId[i] = f.streamId;
            kind[i] = f.kind;
            accountId[i] = f.accountId;
            operation[i] = f.operation();
            correlationId[i] = f.correlationId();
            status[i] = f.ended != null ? f.endedStatus() : f.openingStatus();
            openedAt[i] = f.started != null ? f.startedAt() : f.firstAt;
            closed[i] = (short) (f.closedAt != null ? 1 : 0);
            closedAt[i] = f.closedAt;
            errorMessage[i] = f.errorMessage();
            firstSeq[i] = f.firstSeq;
            lastSeq[i] = f.lastSeq;
            working[i] = f.working;
            workingSeq[i] = f.workingSeq();
        }
        p = set(c, ps, p, "text", streamId);
        p = set(c, ps, p, "text", kind);
        p = set(c, ps, p, "text", accountId);
        p = set(c, ps, p, "text", operation);
        p = set(c, ps, p, "text", correlationId);
        p = set(c, ps, p, "text", status);
        p = set(c, ps, p, "text", openedAt);
        p = set(c, ps, p, "smallint", closed);
        p = set(c, ps, p, "text", closedAt);
        p = set(c, ps, p, "text", errorMessage);
        p = set(c, ps, p, "bigint", firstSeq);
        p = set(c, ps, p, "bigint", lastSeq);
        p = set(c, ps, p, "integer", working);
        return set(c, ps, p, "bigint", workingSeq);
    }

    /**
     * Streams the view has a row of: their batch's records folded into it as {@link AppendSql}'s fold does (a value
     * the batch does not say keeps the row's).
     */
    private static int foldings(Connection c, PreparedStatement ps, int p, List<AppendSql.StreamFold> folding)
            throws SQLException {
        int n = folding.size();
        String[] streamId = new String[n];
        Long[] lastSeq = new Long[n];
        String[] accountId = new String[n];
        String[] operation = new String[n];
        String[] correlationId = new String[n];
        String[] openedAt = new String[n];
        String[] status = new String[n];
        Boolean[] ended = new Boolean[n];
        String[] errorMessage = new String[n];
        String[] closedAt = new String[n];
        Integer[] working = new Integer[n];
        Long[] workingSeq = new Long[n];
        for (int i = 0; i < n; i++) {
            AppendSql.StreamFold f = folding.get(i);
            streamId[i] = f.streamId;
            lastSeq[i] = f.lastSeq;
            accountId[i] = f.accountId;
            operation[i] = f.operation();
            correlationId[i] = f.correlationId();
            openedAt[i] = f.startedAt();
            status[i] = f.endedStatus();
            ended[i] = f.ended != null;
            errorMessage[i] = f.errorMessage();
            closedAt[i] = f.closedAt;
            working[i] = f.working;
            workingSeq[i] = f.workingSeq();
        }
        p = set(c, ps, p, "text", streamId);
        p = set(c, ps, p, "bigint", lastSeq);
        p = set(c, ps, p, "text", accountId);
        p = set(c, ps, p, "text", operation);
        p = set(c, ps, p, "text", correlationId);
        p = set(c, ps, p, "text", openedAt);
        p = set(c, ps, p, "text", status);
        p = set(c, ps, p, "boolean", ended);
        p = set(c, ps, p, "text", errorMessage);
        p = set(c, ps, p, "text", closedAt);
        p = set(c, ps, p, "integer", working);
        return set(c, ps, p, "bigint", workingSeq);
    }

    private static int tallies(Connection c, PreparedStatement ps, int p, Tallies.Counter counter)
            throws SQLException {
        List<Long> minute = new ArrayList<>();
        List<String> meter = new ArrayList<>();
        List<Long> count = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        List<Double> peak = new ArrayList<>();
        for (Map.Entry<Long, Map<String, Tallies.Tally>> m : counter.byMinute().entrySet()) {
            for (Map.Entry<String, Tallies.Tally> t : m.getValue().entrySet()) {
                minute.add(m.getKey());
                meter.add(t.getKey());
                count.add(t.getValue().count());
                total.add(t.getValue().total());
                peak.add(t.getValue().max());
            }
        }
        p = set(c, ps, p, "bigint", minute.toArray(Long[]::new));
        p = set(c, ps, p, "text", meter.toArray(String[]::new));
        p = set(c, ps, p, "bigint", count.toArray(Long[]::new));
        p = set(c, ps, p, "float8", total.toArray(Double[]::new));
        return set(c, ps, p, "float8", peak.toArray(Double[]::new));
    }

    private static int marks(Connection c, PreparedStatement ps, int p, Tallies.Counter counter)
            throws SQLException {
        List<Long> minute = new ArrayList<>();
        List<String> streamId = new ArrayList<>();
        for (Map.Entry<Long, Set<String>> m : counter.marked().entrySet()) {
            for (String id : m.getValue()) {
                minute.add(m.getKey());
                streamId.add(id);
            }
        }
        p = set(c, ps, p, "bigint", minute.toArray(Long[]::new));
        return set(c, ps, p, "text", streamId.toArray(String[]::new));
    }

    /** Sets parameter {@code p} to an array of {@code values} of the SQL type {@code type}; returns the next. */
    private static int set(Connection c, PreparedStatement ps, int p, String type, Object[] values)
            throws SQLException {
        Array array = c.createArrayOf(type, values);
        ps.setArray(p, array);
        return p + 1;
    }
}
