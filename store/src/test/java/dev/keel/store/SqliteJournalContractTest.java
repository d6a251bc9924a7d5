package dev.keel.store;

import dev.keel.core.journal.Journal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;

class SqliteJournalContractTest extends JdbcJournalContractTest {

    private Path file() {
        return tempDir.resolve("data").resolve("journal.db");
    }

    @Override
    protected Journal open(Clock clock) {
        return Journals.open("sqlite:" + file(), clock);
    }

    @Override
    protected JdbcJournal openToRead(Clock clock) {
        return Journals.openToRead("sqlite:" + file(), clock);
    }

    @Override
    protected void execute(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    protected void refuseStream(String streamId) {
        execute("CREATE TRIGGER refuse_stream BEFORE INSERT ON events WHEN NEW.stream_id = '" + streamId + "'"
                + " BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END");
    }

    @Override
    protected void refuseArchives() {
        execute("CREATE TRIGGER refuse_archives BEFORE INSERT ON archives"
                + " BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END");
    }
}
