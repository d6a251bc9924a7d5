package dev.keel.store;

import dev.keel.core.journal.Journal;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
     * Issue 15: the writer sends a batch's events as multi-row inserts (the driver's {@code reWriteBatchedInserts}),
     * unless the journal URL says otherwise.
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
