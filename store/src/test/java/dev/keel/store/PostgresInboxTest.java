package dev.keel.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresInboxTest extends InboxContractTest {
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
    protected JdbcJournal open() {
        return Journals.open(db.jdbcUrl(), clock);
    }
}
