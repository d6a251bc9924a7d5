package dev.keel.store;

import dev.keel.core.events.EventSource;
import dev.keel.core.events.EventSourceContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import java.util.ArrayList;
import java.util.List;

/** The event source contract over the embedded inbox in a Sqlite journal: two journals stand for two processes. */
class SqliteInboxTest extends EventSourceContractTest {
    private final List<JdbcJournal> opened = new ArrayList<>();

    @TempDir
    Path dir;

    @Override
    protected void createStorage() {
        // a fresh folder per test
    }

    private JdbcJournal open() {
        return Journals.open("sqlite:" + dir.resolve("journal.db"), clock);
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
