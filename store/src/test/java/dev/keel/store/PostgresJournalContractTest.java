package dev.keel.store;

import dev.keel.core.journal.Journal;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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

    @Override
    protected void refuseArchives() {
        execute("ALTER TABLE archives ADD CONSTRAINT refuse_archives CHECK (records < 0)");
    }
}
