package dev.keel.store;

import dev.keel.core.events.EventSource;
import dev.keel.core.events.EventSourceContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import java.util.ArrayList;
import java.util.List;

/** The event source contract over the embedded inbox in a Postgres journal: two journals stand for two processes. */
class PostgresInboxTest extends EventSourceContractTest {
    private final List<JdbcJournal> opened = new ArrayList<>();

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

    private JdbcJournal open() {
        return Journals.open(db.jdbcUrl(), clock);
    }

    @Override
    protected EventSource consumer(String name) {
        JdbcJournal journal = open();
        opened.add(journal);
        return journal.inbox(clock, name);
    }

    @Override
    protected void closeAll() {
        opened.forEach(JdbcJournal::close);
    }
}
