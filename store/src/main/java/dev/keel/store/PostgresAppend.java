package dev.keel.store;

import dev.keel.core.journal.Tallies;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * A batch written to PostgreSQL in two trips to its server, whatever its size and its conditions, or in one: first the
 * journal head's row lock taken together with every read the batch needs (the head itself, its streams' rows, and the
 * lease epochs of the accounts its fences name, which the writer admits its appends against); then one statement that
 * moves the head, writes its events, opens the streams the view has no row of, folds those it has, and adds its
 * tallies and marks (data-modifying {@code WITH}s over arrays the statement takes as parameters, so the server
 * prepares it once for every batch size), sent together with the commit. A writer that knows what the first trip would
 * read ({@link WriterKnowledge}) sends the lock, that statement and the commit in one trip, and the statement checks
 * what was assumed. {@link AppendSql} works out the rows for both dialects and gives them to SQLite statement by
 * statement, where a statement costs no trip; to PostgreSQL each was one, and a trip costs what the network between
 * Keel and its database costs (issue 15: 0.9 ms on a link of that round trip, 0.25-0.3 ms on a busy machine's own
 * loopback). A batch of fenced appends, as every append of the runtime's account sessions is, took one more trip for
 * the lock, one for each account's epoch and one for each expected position.
 *
 * <p>What the batch read stays true until its commit: every writer of the head, the view and the leases, in any
 * process, takes the head's row lock first, and the reads are statements of their own after the lock, so each reads
 * (read committed) what every writer committed before this one took it. The statement refuses the batch, before its
 * commit, when the head, the rows it opened and folded, or the epochs a batch assumed are not those the batch read or
 * assumed, rather than leave a stream's events outside its view or admit an append whose lease has moved.
 */
final class PostgresAppend {
    /** The events' rows, in the order of the insert's columns. */
    private static final List<Column<AppendSql.Row>> EVENTS = List.of(bigint(AppendSql.Row::seq),
            text(r -> r.event().streamId()), text(r -> r.event().streamKind()), text(r -> r.event().accountId()),
            text(AppendSql.Row::type), text(AppendSql.Row::at), text(AppendSql.Row::payload),
            bigint(AppendSql.Row::checksum), bigint(AppendSql.Row::previous));
    /** New streams' rows: what their first record opens and their batch's records fold into it, as one row. */
    private static final List<Column<AppendSql.StreamFold>> OPENINGS = List.of(text(f -> f.streamId),
            text(f -> f.kind), text(f -> f.accountId), text(AppendSql.StreamFold::operation),
            text(AppendSql.StreamFold::correlationId),
            text(f -> f.ended != null ? f.endedStatus() : f.openingStatus()),
            text(f -> f.started != null ? f.startedAt() : f.firstAt),
            smallint(f -> (short) (f.closedAt != null ? 1 : 0)), text(f -> f.closedAt),
            text(AppendSql.StreamFold::errorMessage), bigint(f -> f.firstSeq), bigint(f -> f.lastSeq),
            integer(f -> f.working), bigint(AppendSql.StreamFold::workingSeq));
    /**
     * Streams the view has a row of: their batch's records folded into it as {@link AppendSql}'s fold does (a value
     * the batch does not say keeps the row's).
     */
    private static final List<Column<AppendSql.StreamFold>> FOLDINGS = List.of(text(f -> f.streamId),
            bigint(f -> f.lastSeq), text(f -> f.accountId), text(AppendSql.StreamFold::operation),
            text(AppendSql.StreamFold::correlationId), text(AppendSql.StreamFold::startedAt),
            text(AppendSql.StreamFold::endedStatus), bool(f -> f.ended != null),
            text(AppendSql.StreamFold::errorMessage), text(f -> f.closedAt), integer(f -> f.working),
            bigint(AppendSql.StreamFold::workingSeq));
    private static final List<Column<Tally>> TALLIES = List.of(bigint(Tally::minute), text(Tally::meter),
            bigint(t -> t.tally().count()), float8(t -> t.tally().total()), float8(t -> t.tally().max()));
    private static final List<Column<Mark>> MARKS = List.of(bigint(Mark::minute), text(Mark::streamId));

    private static final String WRITE = "WITH head AS ("
            + " UPDATE journal_head SET last_seq = ?, tallied_seq = ? WHERE id = 1 AND last_seq = ? AND tallied_seq = ?"
            + " RETURNING 1"
            + "), new_events AS ("
            + " INSERT INTO events (seq, stream_id, stream_kind, account_id, type, at, payload, checksum, prev_seq)"
            + " SELECT " + unnest(EVENTS)
            + "), to_open AS ("
            + " SELECT " + unnest(OPENINGS)
            + "), opened AS ("
            + " INSERT INTO streams (stream_id, kind, account_id, operation, correlation_id, status, opened_at, closed,"
            + " closed_at, error_message, first_seq, last_seq, working, working_seq)"
            + " SELECT * FROM to_open RETURNING 1"
            + "), to_fold AS ("
            + " SELECT * FROM (SELECT " + unnest(FOLDINGS) + ")"
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
            + " SELECT " + unnest(TALLIES)
            + " ON CONFLICT (minute, meter) DO UPDATE SET n = tallies.n + excluded.n,"
            + " total = tallies.total + excluded.total,"
            + " peak = CASE WHEN excluded.peak > tallies.peak THEN excluded.peak ELSE tallies.peak END"
            + "), marked AS ("
            + " INSERT INTO tally_attention (minute, stream_id) SELECT " + unnest(MARKS)
            + " ON CONFLICT (minute, stream_id) DO NOTHING"
            // The lease epochs a batch assumed: read in the statement's snapshot, taken after the head's lock.
            + "), fences AS ("
            + " SELECT unnest(?::text[]) AS account_id, unnest(?::bigint[]) AS epoch"
            // Refuses the batch before its commit when the head moved, the rows opened or folded are not the
            // batch's, or a lease it assumed moved: a cast that fails is how one SQL statement raises an error with
            // its own message.
            + ") SELECT CASE WHEN (SELECT count(*) FROM head) = 1"
            + " AND (SELECT count(*) FROM opened) = (SELECT count(*) FROM to_open)"
            + " AND (SELECT count(*) FROM folded) = (SELECT count(*) FROM to_fold)"
            + " AND NOT EXISTS (SELECT 1 FROM fences f LEFT JOIN account_leases l USING (account_id)"
            + " WHERE l.epoch IS DISTINCT FROM f.epoch) THEN 1"
            + " ELSE CAST(concat('keel: the journal moved under its head''s lock: ',"
            + " CASE WHEN (SELECT count(*) FROM head) = 1 THEN 'head in place' ELSE 'head moved' END, ', opened ',"
            + " (SELECT count(*) FROM opened), ' of ', (SELECT count(*) FROM to_open), ' new streams, folded ',"
            + " (SELECT count(*) FROM folded), ' of ', (SELECT count(*) FROM to_fold), ', leases moved ',"
            + " (SELECT count(*) FROM fences f LEFT JOIN account_leases l USING (account_id)"
            + " WHERE l.epoch IS DISTINCT FROM f.epoch)) AS integer) END"
            + "; COMMIT";

    /**
     * The head's lock and the batch's reads, sent together: each read is a statement of its own after the lock, so it
     * reads what every writer committed before this one took the lock (one statement's snapshot would be taken before
     * it waited for the lock, and miss them).
     */
    private static final String LOCK = "UPDATE journal_head SET last_seq = last_seq WHERE id = 1"
            + " RETURNING last_seq, tallied_seq"
            + "; SELECT stream_id, last_seq, account_id, opened_at FROM streams WHERE stream_id = ANY (?::text[])"
            + "; SELECT account_id, epoch FROM account_leases WHERE account_id = ANY (?::text[])";

    /**
     * {@link #WRITE} of a batch that assumed what its writer knew: after the head's lock, in the same trip, so that the
     * statement's snapshot, in which it checks what was assumed, is taken after every writer before it committed.
     */
    private static final String LOCK_AND_WRITE = "UPDATE journal_head SET last_seq = last_seq WHERE id = 1; " + WRITE;

    private PostgresAppend() {
    }

    /**
     * A select list of one {@code unnest} per array parameter, which the server zips into rows (the arrays are of
     * equal length). In the select list rather than {@code FROM unnest(...)}: the server first materializes a function
     * in {@code FROM} into a tuplestore, 16 KB of memory each, and five of them a statement took the server process
     * past glibc's trim threshold, so every execution grew its heap, faulted its pages in and gave them back (issue
     * 15: ~0.35 ms a statement; one append at a time ran at half the speed).
     */
    private static String unnest(List<? extends Column<?>> columns) {
        StringJoiner select = new StringJoiner(", ");
        for (Column<?> column : columns) {
            select.add("unnest(?::" + column.type() + "[])");
        }
        return select.toString();
    }

    /**
     * Takes the journal head's row lock, and reads the head, the rows of {@code streamIds} the view has and the lease
     * epochs of {@code accountIds}, in one trip.
     */
    static Locked lock(Statements st, Collection<String> streamIds, Collection<String> accountIds)
            throws SQLException {
        PreparedStatement ps = st.get(LOCK);
        ps.setArray(1, st.connection().createArrayOf("text", streamIds.toArray(String[]::new)));
        ps.setArray(2, st.connection().createArrayOf("text", accountIds.toArray(String[]::new)));
        if (!ps.execute()) {
            throw new SQLException("the lock of the journal head answered no rows");
        }
        long lastSeq;
        long talliedSeq;
        try (ResultSet rs = ps.getResultSet()) {
            if (!rs.next()) {
                throw new SQLException("journal_head has no row: the schema is damaged");
            }
            lastSeq = rs.getLong(1);
            talliedSeq = rs.getLong(2);
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
        if (!ps.getMoreResults()) {
            throw new SQLException("the read of the lease epochs answered no rows");
        }
        Map<String, Long> epochs = new HashMap<>();
        try (ResultSet rs = ps.getResultSet()) {
            while (rs.next()) {
                epochs.put(rs.getString(1), rs.getLong(2));
            }
        }
        return new Locked(lastSeq, talliedSeq, ends, epochs, false);
    }

    /**
     * What a batch read under the journal head's lock, or assumed from what its writer knew ({@link WriterKnowledge}):
     * the head's last and last tallied sequences, the view's row of each stream it asked for that has one, and the
     * lease epoch of each account it asked for that has one. True until the batch commits; an assumed one is checked
     * by the server in the trip that commits.
     */
    record Locked(long lastSeq, long talliedSeq, Map<String, AppendSql.StreamEnd> ends, Map<String, Long> epochs,
                  boolean assumed) implements AppendSql.Reads {
        /** The batch's take of {@code count} sequences after the head, as {@link AppendSql#TAKE_SEQUENCES} takes it. */
        AppendSql.Taken take(int count) {
            return new AppendSql.Taken(lastSeq + 1, talliedSeq == lastSeq ? lastSeq + count : talliedSeq, ends);
        }

        @Override
        public long epoch(String accountId) {
            return epochs.getOrDefault(accountId, 0L);
        }

        @Override
        public long lastSequence(String streamId) {
            AppendSql.StreamEnd end = ends.get(streamId);
            return end == null ? 0 : end.lastSeq();
        }
    }

    /**
     * Moves the head past {@code rows} from where {@code locked} read it, writes them, opens or folds the streams of
     * {@code folds} ({@code locked} holds the rows the view has), adds {@code counter}'s tallies and marks, and
     * commits, in one trip: the transaction's last work. Every record before the batch is tallied once it commits
     * ({@link TallyWrites#gap} noted those no writer tallied). A failure the server answered before the commit (the
     * transaction failed, nothing written) is thrown as it is, and the writer writes the batch again (in two trips
     * when it went in one, else one caller at a time); any other (the connection lost on the way, the commit itself
     * refused) leaves the outcome unknown, {@link GroupCommitWriter.CommitFailed}.
     */
    static void writeAndCommit(Statements st, Locked locked, List<AppendSql.Row> rows,
                               Collection<AppendSql.StreamFold> folds, Tallies.Counter counter) throws SQLException {
        Connection c = st.connection();
        PreparedStatement ps = st.get(locked.assumed() ? LOCK_AND_WRITE : WRITE);
        List<AppendSql.StreamFold> opening = new ArrayList<>();
        List<AppendSql.StreamFold> folding = new ArrayList<>();
        for (AppendSql.StreamFold f : folds) {
            (locked.ends().containsKey(f.streamId) ? folding : opening).add(f);
        }
        List<Tally> tallies = new ArrayList<>();
        counter.byMinute().forEach((minute, meters) -> meters.forEach((meter, tally) ->
                tallies.add(new Tally(minute, meter, tally))));
        List<Mark> marks = new ArrayList<>();
        counter.marked().forEach((minute, streamIds) -> streamIds.forEach(id -> marks.add(new Mark(minute, id))));
        long last = locked.lastSeq() + rows.size();
        ps.setLong(1, last);
        ps.setLong(2, last);
        ps.setLong(3, locked.lastSeq());
        // Where the head's tallied sequence stands now: as read, unless the batch noted a gap and moved it to its last.
        ps.setLong(4, locked.talliedSeq() == locked.lastSeq() ? locked.talliedSeq() : last);
        int p = bind(c, ps, 5, EVENTS, rows);
        p = bind(c, ps, p, OPENINGS, opening);
        p = bind(c, ps, p, FOLDINGS, folding);
        p = bind(c, ps, p, TALLIES, tallies);
        p = bind(c, ps, p, MARKS, marks);
        // The epochs a batch read under the lock admitted its appends already; those it assumed are checked here.
        Map<String, Long> fences = locked.assumed() ? locked.epochs() : Map.of();
        List<Map.Entry<String, Long>> fenced = List.copyOf(fences.entrySet());
        ps.setArray(p++, c.createArrayOf("text", fenced.stream().map(Map.Entry::getKey).toArray(String[]::new)));
        ps.setArray(p, c.createArrayOf("bigint", fenced.stream().map(Map.Entry::getValue).toArray(Long[]::new)));
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

    /** Sets parameters from {@code p} on, one array per column of {@code rows}; returns the next. */
    private static <T> int bind(Connection c, PreparedStatement ps, int p, List<Column<T>> columns, List<T> rows)
            throws SQLException {
        for (Column<T> column : columns) {
            Object[] values = column.array().apply(rows.size());
            for (int i = 0; i < values.length; i++) {
                values[i] = column.value().apply(rows.get(i));
            }
            ps.setArray(p++, c.createArrayOf(column.type(), values));
        }
        return p;
    }

    /**
     * One array parameter of {@link #WRITE}: its SQL element type, stated once for both the statement's cast and the
     * array sent; the Java array it is sent as; and its value for each row.
     */
    private record Column<T>(String type, IntFunction<Object[]> array, Function<T, Object> value) {
    }

    private static <T> Column<T> text(Function<T, String> value) {
        return new Column<>("text", String[]::new, value::apply);
    }

    private static <T> Column<T> bigint(Function<T, Long> value) {
        return new Column<>("bigint", Long[]::new, value::apply);
    }

    private static <T> Column<T> integer(Function<T, Integer> value) {
        return new Column<>("integer", Integer[]::new, value::apply);
    }

    private static <T> Column<T> smallint(Function<T, Short> value) {
        return new Column<>("smallint", Short[]::new, value::apply);
    }

    private static <T> Column<T> bool(Function<T, Boolean> value) {
        return new Column<>("boolean", Boolean[]::new, value::apply);
    }

    private static <T> Column<T> float8(Function<T, Double> value) {
        return new Column<>("float8", Double[]::new, value::apply);
    }

    /** One minute's tally of one meter, a row of {@code tallies}. */
    private record Tally(long minute, String meter, Tallies.Tally tally) {
    }

    /** A transaction marked in one minute, a row of {@code tally_attention}. */
    private record Mark(long minute, String streamId) {
    }
}
