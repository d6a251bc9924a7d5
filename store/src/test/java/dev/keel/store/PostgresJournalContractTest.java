package dev.keel.store;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalSamples;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.keel.core.journal.JournalSamples.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
