package dev.keel.store;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.journal.Fence;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.LeaseLostException;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.StreamMovedException;
import dev.keel.core.journal.StreamPosition;
import dev.keel.core.journal.JournalSamples;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.keel.core.journal.JournalSamples.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class PostgresJournalContractTest extends JdbcJournalContractTest {
    private static TestDatabase db;

    @BeforeAll
    static void createDatabase() {
        db = PostgresTestServer.get().createDatabase();
    }

    @AfterAll
    static void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Override
    protected void createStorage() {
        db.clear();
    }

    @Override
    protected Journal open(Clock clock) {
        return Journals.open(db.jdbcUrl(), clock);
    }

    @Override
    protected boolean writesInOneTrip() {
        return true;
    }

    @Override
    protected JdbcJournal openToRead(Clock clock) {
        return Journals.openToRead(db.jdbcUrl(), clock);
    }

    @Override
    protected void execute(String sql) {
        db.execute(sql);
    }

    @Override
    protected void refuseStream(String streamId) {
        execute("ALTER TABLE events ADD CONSTRAINT refuse_stream CHECK (stream_id <> '" + streamId + "')");
    }

    /**
     * Issue 15: PostgreSQL takes a batch's rows in one statement, which answers how many streams it opened and folded.
     * A fold the database skipped (here a trigger a DBA left on the view) fails the append, written nowhere, rather
     * than leave the stream's newest events outside its view, where readers that follow the view would not see them.
     */
    @Test
    void aFoldTheDatabaseSkipsFailsTheAppendAndWritesNothing() {
        journal.append(JournalSamples.started("tx-1", "acct-1", T0));
        execute("CREATE FUNCTION keel_skip() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$");
        execute("CREATE TRIGGER skip_folds BEFORE UPDATE ON streams FOR EACH ROW EXECUTE FUNCTION keel_skip()");

        assertThatThrownBy(() -> journal.appendAll(List.of(JournalSamples.intent("tx-1", "acct-1", "a", T0))))
                .isInstanceOfSatisfying(KeelException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.JOURNAL_WRITE_FAILED))
                .hasMessageContaining("folded 0 of 1");
        assertThat(journal.lastSequence()).isEqualTo(1);

        execute("DROP TRIGGER skip_folds ON streams");
        assertThat(journal.append(JournalSamples.intent("tx-1", "acct-1", "a", T0)).sequence()).isEqualTo(2);
        assertThat(journal.stream("tx-1")).hasSize(2);
    }

    /**
     * Issue 15: a batch reads what its appends' conditions need in the same trip as it takes the journal head's lock,
     * each read a statement after the lock, so it admits them against what another process committed while the batch
     * waited for that lock. Here the other process holds the lock while it takes acct-1's lease over and appends to
     * tx-2 (with the writer's own SQL); the batch waits behind it with an append fenced with acct-1's old epoch, one
     * fenced with acct-2's current epoch, and one expecting tx-2 where it ended. Once the other commits, the two whose
     * conditions it broke are refused and the third is written. A read made in one snapshot with the lock (one
     * statement) or before it would admit all three.
     */
    @Test
    void aBatchWaitingForTheHeadsLockIsAdmittedAgainstWhatTheLockHolderCommitted() throws Exception {
        long acct1 = journal.takeLease("acct-1");
        long acct2 = journal.takeLease("acct-2");
        journal.append(JournalSamples.started("tx-1", "acct-1", T0));
        JournalRecord tx2 = journal.append(JournalSamples.started("tx-2", "acct-2", T0));
        GroupCommitWriter writer = ((JdbcJournal) journal).writer();
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Connection other = DriverManager.getConnection(db.jdbcUrl());
             Connection watch = DriverManager.getConnection(db.jdbcUrl())) {
            other.setAutoCommit(false);
            Statements st = new Statements(other);
            PostgresAppend.Locked locked = PostgresAppend.lock(st, List.of("tx-2"), List.of());
            long taken = AppendSql.takeLease(st, "acct-1", Timestamps.format(T0));

            Future<Object> held = holdWriter(pool, writer, release); // what is queued meanwhile is one batch
            Future<List<JournalRecord>> oldFence = pool.submit(() -> journal.appendAll(
                    List.of(JournalSamples.intent("tx-1", "acct-1", "a", T0)), List.of(), new Fence("acct-1", acct1)));
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.queued() == 1);
            Future<List<JournalRecord>> currentFence = pool.submit(() -> journal.appendAll(
                    List.of(JournalSamples.intent("tx-2", "acct-2", "b", T0)), List.of(), new Fence("acct-2", acct2)));
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.queued() == 2);
            Future<List<JournalRecord>> expecting = pool.submit(() -> journal.appendAll(
                    List.of(JournalSamples.intent("tx-2", "acct-2", "c", T0)),
                    List.of(new StreamPosition("tx-2", tx2.sequence()))));
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.queued() == 3);
            release.countDown();
            held.get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingForALock(watch));

            List<JournalRecord> theirs = AppendSql.write(st,
                    List.of(EventCodec.encode(JournalSamples.intent("tx-2", "acct-2", "theirs", T0))), locked)
                    .records();
            other.commit();

            assertThatThrownBy(() -> oldFence.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(LeaseLostException.class, e -> assertThat(e.current()).isEqualTo(taken));
            assertThat(currentFence.get(30, TimeUnit.SECONDS)).hasSize(1);
            assertThatThrownBy(() -> expecting.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(StreamMovedException.class,
                            e -> assertThat(e.actual()).isEqualTo(theirs.getFirst().sequence()));
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertThat(journal.stream("tx-1")).hasSize(1);
        assertThat(legs("tx-2")).containsExactly("start", "theirs", "b");
        reopen();
        assertThat(journal.stream("tx-2")).hasSize(3);
    }

    /**
     * Issue 15: a writer that knows the journal as its last commit left it, and found nobody else writing, sends its
     * next batch in one trip on what it knows (fences and expected ends included), instead of reading first.
     */
    @Test
    void aWriterAloneOnItsJournalWritesABatchInOneTrip() {
        Fence fence = new Fence("acct-1", journal.takeLease("acct-1"));
        JournalRecord started = journal.appendAll(List.of(JournalSamples.started("tx-1", "acct-1", T0)), List.of(),
                fence).getFirst();
        GroupCommitWriter writer = ((JdbcJournal) journal).writer();
        JournalRecord last = started;
        for (int i = 0; i < 4; i++) {
            last = journal.appendAll(List.of(JournalSamples.intent("tx-1", "acct-1", "leg-" + i, T0)),
                    List.of(new StreamPosition("tx-1", last.sequence())), fence).getFirst();
        }
        journal.appendAll(List.of(JournalSamples.started("tx-2", "acct-1", T0)), List.of(), fence);

        assertThat(writer.oneTripBatches()).as("after two batches that read, each batch in one trip").isEqualTo(4);
        assertThat(journal.stream("tx-1")).hasSize(5);
        reopen(); // the open checks each record's link back and the view against the records
        assertThat(journal.stream("tx-1")).extracting(JournalRecord::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(journal.stream("tx-2")).hasSize(1);
    }

    /**
     * Issue 15: a lease take moves no journal head, so a writer's knowledge of an epoch can be stale without the
     * head telling. A batch that assumed the old epoch is refused by the server, which reads the epoch after the
     * head's lock, and written again on what the writer reads: the old holder's append is refused, as it must be,
     * and the new holder's is written.
     */
    @Test
    void aLeaseAnotherProcessTookIsSeenByABatchThatAssumedTheOldEpoch() {
        Fence old = new Fence("acct-1", journal.takeLease("acct-1"));
        journal.appendAll(List.of(JournalSamples.started("tx-1", "acct-1", T0)), List.of(), old);
        journal.appendAll(List.of(JournalSamples.intent("tx-1", "acct-1", "a", T0)), List.of(), old);
        journal.appendAll(List.of(JournalSamples.intent("tx-1", "acct-1", "b", T0)), List.of(), old);
        GroupCommitWriter writer = ((JdbcJournal) journal).writer();
        long oneTrip = writer.oneTripBatches();
        journal.appendAll(List.of(JournalSamples.intent("tx-1", "acct-1", "c", T0)), List.of(), old);
        assertThat(writer.oneTripBatches()).as("the writer assumes the epoch it knows").isEqualTo(oneTrip + 1);
        long taken;
        try (Journal other = open(clock)) {
            taken = other.takeLease("acct-1");
        }

        assertThatThrownBy(() -> journal.appendAll(List.of(JournalSamples.intent("tx-1", "acct-1", "d", T0)),
                List.of(), old)).isInstanceOfSatisfying(LeaseLostException.class,
                        e -> assertThat(e.current()).isEqualTo(taken));
        journal.appendAll(List.of(JournalSamples.intent("tx-1", "acct-1", "e", T0)), List.of(),
                new Fence("acct-1", taken));
        assertThat(legs("tx-1")).containsExactly("start", "a", "b", "c", "e");
    }

    /**
     * Issue 15: a batch sent in one trip on what its writer knew takes the head's lock in a statement of its own before
     * the one that checks what it assumed, so that the check reads what the lock's holder before it committed. Here
     * another process holds the lock while it takes acct-1's lease over (which moves no head); the batch, fenced with
     * the old epoch, waits behind it, and once the other commits it is refused. Checked in the statement that waited
     * for the lock, it would be checked in a snapshot from before the take, and written.
     */
    @Test
    void aBatchInOneTripWaitingForTheHeadsLockSeesTheLeaseTheHolderTook() throws Exception {
        Fence old = new Fence("acct-1", journal.takeLease("acct-1"));
        for (String leg : List.of("a", "b", "c")) {
            journal.appendAll(List.of(JournalSamples.intent("tx-1", "acct-1", leg, T0)), List.of(), old);
        }
        GroupCommitWriter writer = ((JdbcJournal) journal).writer();
        long oneTrip = writer.oneTripBatches();
        assertThat(oneTrip).isPositive();
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try (Connection other = DriverManager.getConnection(db.jdbcUrl());
             Connection watch = DriverManager.getConnection(db.jdbcUrl())) {
            other.setAutoCommit(false);
            Statements st = new Statements(other);
            PostgresAppend.lock(st, List.of(), List.of());
            long taken = AppendSql.takeLease(st, "acct-1", Timestamps.format(T0));

            Future<List<JournalRecord>> append = pool.submit(() -> journal.appendAll(
                    List.of(JournalSamples.intent("tx-1", "acct-1", "d", T0)), List.of(), old));
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingForALock(watch));
            other.commit();

            assertThatThrownBy(() -> append.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(LeaseLostException.class, e -> assertThat(e.current()).isEqualTo(taken));
        } finally {
            pool.shutdownNow();
        }
        assertThat(writer.oneTripBatches()).as("the batch was sent in one trip, and refused").isEqualTo(oneTrip);
        assertThat(journal.stream("tx-1")).hasSize(3);
    }

    /**
     * Issue 15: another process's append moves the head, so a batch that assumed where a stream ends is refused by
     * the server and written again on what the writer reads: an append that expected the stream's old end is refused
     * with the other's record as the end, and the next record links back to the other's.
     */
    @Test
    void anAppendOfAnotherProcessIsSeenByABatchThatAssumedTheStreamsEnd() {
        journal.append(JournalSamples.started("tx-1", "acct-1", T0));
        journal.append(JournalSamples.intent("tx-1", "acct-1", "a", T0));
        JournalRecord mine = journal.append(JournalSamples.intent("tx-1", "acct-1", "b", T0));
        GroupCommitWriter writer = ((JdbcJournal) journal).writer();
        assertThat(writer.oneTripBatches()).isEqualTo(1);
        JournalRecord theirs;
        try (Journal other = open(clock)) {
            theirs = other.append(JournalSamples.intent("tx-1", "acct-1", "theirs", T0));
        }

        assertThatThrownBy(() -> journal.appendAll(List.of(JournalSamples.intent("tx-1", "acct-1", "c", T0)),
                List.of(new StreamPosition("tx-1", mine.sequence())))).isInstanceOfSatisfying(
                        StreamMovedException.class, e -> assertThat(e.actual()).isEqualTo(theirs.sequence()));
        journal.append(JournalSamples.intent("tx-1", "acct-1", "d", T0));
        assertThat(writer.oneTripBatches()).as("refused on what the writer knew, then read").isEqualTo(1);
        reopen(); // the open checks each record's link back: "d" links to "theirs"
        assertThat(legs("tx-1")).containsExactly("start", "a", "b", "theirs", "d");
    }

    /** The stream's records in order: each intent's leg, "start" for its start. */
    private List<String> legs(String streamId) {
        return journal.stream(streamId).stream()
                .map(r -> r.event() instanceof OrderIntentRecorded i ? i.leg() : "start").toList();
    }

    /** Whether a session of this database waits for a lock another holds. */
    private static boolean waitingForALock(Connection watch) throws java.sql.SQLException {
        try (var st = watch.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    /**
     * Issue 15: the commit goes in one trip with the batch's rows. A connection lost on that trip leaves the outcome
     * unknown (the server may have committed): every caller of the batch fails, and none of their appends is written
     * again one by one, as the appends of a batch whose statement the server refused are, since that could write
     * them twice. Here the server process ends while it writes the rows, once (a sequence counts, outside the
     * transaction): written again, all three would be in the journal.
     */
    @Test
    void aConnectionLostOnTheTripThatCarriesTheCommitFailsTheBatchWithoutWritingItAgain() throws Exception {
        journal.append(JournalSamples.started("tx-0", "acct-0", T0));
        execute("CREATE SEQUENCE kill_once");
        execute("CREATE FUNCTION keel_kill() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF nextval('kill_once') = 1 THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;"
                + " RETURN NULL; END $$");
        execute("CREATE TRIGGER kill_once AFTER INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION keel_kill()");
        GroupCommitWriter writer = ((JdbcJournal) journal).writer();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<?> held = pool.submit(() -> writer.exclusive(c -> {
                holding.countDown();
                return release.await(30, TimeUnit.SECONDS);
            }, "hold the writer"));
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            List<Future<?>> appends = new ArrayList<>();
            for (int t = 1; t <= 3; t++) {
                String txId = "tx-" + t;
                appends.add(pool.submit(() -> journal.append(JournalSamples.started(txId, "acct-1", T0))));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.queued() == 3);
            release.countDown();
            held.get(30, TimeUnit.SECONDS);
            for (Future<?> append : appends) {
                assertThatThrownBy(() -> append.get(30, TimeUnit.SECONDS)).cause()
                        .isInstanceOf(KeelException.class);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(journal.lastSequence()).isEqualTo(1);
        assertThat(journal.transaction("tx-1")).isEmpty();
        // The journal goes on, on a new connection.
        assertThat(journal.append(JournalSamples.started("tx-4", "acct-1", T0)).sequence()).isEqualTo(2);
    }

    /**
     * Issue 15: batches of inserts (an archive's ranges) go as multi-row inserts (the driver's
     * {@code reWriteBatchedInserts}), unless the journal URL says otherwise.
     */
    @Test
    void theWriterSendsABatchAsMultiRowInsertsUnlessTheUrlSaysOtherwise() {
        assertThat(batchedInserts(journal)).isTrue();
        journal.close();
        String url = db.jdbcUrl();
        journal = Journals.open(url + (url.contains("?") ? "&" : "?") + Database.POSTGRES_BATCHED_INSERTS + "=false",
                clock);
        assertThat(batchedInserts(journal)).isFalse();
    }

    private static boolean batchedInserts(Journal journal) {
        return ((JdbcJournal) journal).writer().exclusive(c -> c.unwrap(org.postgresql.core.BaseConnection.class)
                .getQueryExecutor().isReWriteBatchedInsertsEnabled(), "read the driver's setting");
    }

    /**
     * Issue 10 finding 11: a commit is durable when it returns whatever the server's default; a server (or database)
     * configured with {@code synchronous_commit = off} would otherwise acknowledge commits it could still lose.
     */
    @Test
    void commitsAreSynchronousEvenWhereTheServerDefaultIsNot() {
        execute("ALTER DATABASE " + db.name() + " SET synchronous_commit = off");
        try {
            reopen();
            String setting = ((JdbcJournal) journal).writer().exclusive(c -> {
                try (var st = c.createStatement(); var rs = st.executeQuery("SHOW synchronous_commit")) {
                    rs.next();
                    return rs.getString(1);
                }
            }, "show synchronous_commit");

            assertThat(setting).isEqualTo("on");
        } finally {
            execute("ALTER DATABASE " + db.name() + " RESET synchronous_commit");
        }
    }

    @Override
    protected void refuseArchives() {
        execute("ALTER TABLE archives ADD CONSTRAINT refuse_archives CHECK (records < 0)");
    }
}
