package dev.keel.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteInboxTest extends InboxContractTest {
    @TempDir
    Path dir;

    @Override
    protected void createStorage() {
        // a fresh folder per test
    }

    @Override
    protected JdbcJournal open() {
        return Journals.open("sqlite:" + dir.resolve("journal.db"), clock);
    }
}
