package dev.keel.store;

import static dev.keel.core.journal.JournalSamples.everyType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.journal.JournalSamples;
import dev.keel.core.time.ManualClock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage the SQLite file the way disks and people do, restart, and assert the report: JOURNAL_CORRUPT naming the
 * file, never a silent answer, a migration error or advice about disk space (Artio's corrupt-the-file test).
 */
class JournalDamageTest {
    private final ManualClock clock = new ManualClock(JournalSamples.T0);

    @TempDir
    Path dir;

    private Path file;

    /** A journal of two transactions, closed, with everything checkpointed into the main file. */
    @BeforeEach
    void twoTransactions() throws SQLException {
        file = dir.resolve("keel.db");
        try (JdbcJournal journal = Journals.open(url(), clock)) {
            journal.appendAll(everyType("tx-1", "acct-1"));
            journal.appendAll(everyType("tx-2", "acct-1"));
        }
        sql("PRAGMA wal_checkpoint(TRUNCATE)");
    }

    @Test
    void garbageInAnIndexPageIsReportedOnOpenInsteadOfATransactionGoingMissing() throws Exception {
        // The last bytes of the index's only page hold the key of its first entry.
        overwrite(pageOf("streams_open") * pageSize() - 4, new byte[] {-1, -1, -1, -1});

        assertCorruptOnOpen("missing from index streams_open");
        Verification v = inspect(false);
        assertThat(v.sound()).isFalse();
        assertThat(v.findings()).anySatisfy(f -> assertThat(f).contains("streams_open"));
    }

    @Test
    void aReadersOpenRefusesTheDamagedIndexOfTheViewsAsEveryOpenDoes() throws Exception {
        overwrite(pageOf("streams_open") * pageSize() - 4, new byte[] {-1, -1, -1, -1});

        assertThatThrownBy(() -> Journals.openToRead(url(), clock).close()).isInstanceOfSatisfying(
                KeelException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.JOURNAL_CORRUPT);
                    assertThat(e.getMessage()).contains("the journal file " + file + " is damaged", "streams_open");
                });
    }

    /**
     * A reader's open leaves the events' table, most of the file, to the reads: an old page of records damaged past
     * the newest 10,000 lets a writer's open refuse the journal, a reader's open list the transactions, and the read
     * of a transaction whose records lay on that page refuse it.
     */
    @Test
    void aReadersOpenLeavesTheEventsToTheReadsAndTheReadOfADamagedRecordIsRefused() throws Exception {
        int perTransaction = everyType("x", "y").size();
        int transactions = JdbcJournal.OPEN_VERIFY_TAIL / perTransaction + 40;
        try (JdbcJournal journal = Journals.open(url(), clock)) {
            List<dev.keel.core.journal.JournalEvent> batch = new ArrayList<>();
            for (int t = 3; t <= transactions; t++) {
                batch.addAll(everyType("tx-" + t, "acct-" + t % 7));
                if (batch.size() >= 500) {
                    journal.appendAll(batch);
                    batch.clear();
                }
            }
            journal.appendAll(batch);
        }
        sql("PRAGMA wal_checkpoint(TRUNCATE)");
        long page = query("SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf' ORDER BY path"
                + " LIMIT 1"); // the leftmost leaf: tx-1's records
        assertThat(page).isPositive();
        overwrite((page - 1) * pageSize(), new byte[] {-1, -1, -1, -1, -1, -1, -1, -1});

        assertCorruptOnOpen("SQLite");
        try (JdbcJournal journal = Journals.openToRead(url(), clock)) {
            assertThat(journal.recentTransactions(5, null)).extracting(t -> t.txId())
                    .containsExactly("tx-" + transactions, "tx-" + (transactions - 1), "tx-" + (transactions - 2),
                            "tx-" + (transactions - 3), "tx-" + (transactions - 4));
            assertThat(journal.stream("tx-" + transactions)).isNotEmpty();
            assertThatThrownBy(() -> journal.stream("tx-1")).isInstanceOfSatisfying(KeelException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.JOURNAL_CORRUPT));
        }
    }

    @Test
    void damagedTablePageIsJournalCorruptNotAFailedMigration() throws Exception {
        overwrite((pageOf("events") - 1) * pageSize(), new byte[] {-1, -1, -1, -1, -1, -1, -1, -1});

        assertCorruptOnOpen("SQLite");
    }

    @Test
    void damagedMigrationHistoryIsJournalCorruptNotAFlywayError() throws Exception {
        overwrite((pageOf("flyway_schema_history") - 1) * pageSize(), new byte[] {-1, -1, -1, -1, -1, -1, -1, -1});

        KeelException e = assertCorruptOnOpen("SQLite");
        assertThat(e.getMessage()).doesNotContainIgnoringCase("flyway");
    }

    @Test
    void truncatedFileIsJournalCorruptNotAWriteFailure() throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }

        assertCorruptOnOpen("SQLite");
    }

    @Test
    void soundJournalVerifiesInFullWithProgressAndBacksUpToAFileThatOpensAsAJournal() throws Exception {
        List<long[]> progress = new ArrayList<>();
        Path backup = dir.resolve("backups/keel-copy.db");
        try (JdbcJournal journal = Journals.open(url(), clock)) {
            Verification v = journal.verify(true, (done, total) -> progress.add(new long[] {done, total}));
            assertThat(v.sound()).as("%s", v.findings()).isTrue();
            assertThat(v.records()).isEqualTo(v.head()).isEqualTo(2L * everyType("x", "y").size());

            assertThat(journal.backup(backup)).isEqualTo(backup.toAbsolutePath());
            assertThatThrownBy(() -> journal.backup(backup)).isInstanceOfSatisfying(KeelException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.REQUEST_REFUSED)).hasMessageContaining("exists");
        }
        try (JdbcJournal copy = Journals.open("sqlite:" + backup, clock)) {
            assertThat(copy.recentTransactions(10, null)).hasSize(2);
            assertThat(copy.verify(true, null).sound()).isTrue();
        }
    }

    private KeelException assertCorruptOnOpen(String what) {
        KeelException[] thrown = new KeelException[1];
        assertThatThrownBy(() -> Journals.open(url(), clock).close()).isInstanceOfSatisfying(KeelException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.JOURNAL_CORRUPT);
            assertThat(e.getMessage()).contains("the journal file " + file + " is damaged", what);
            assertThat(e.code().suggestion()).contains("restore", "backup", "keel journal verify", "never delete");
            thrown[0] = e;
        });
        return thrown[0];
    }

    private Verification inspect(boolean full) {
        try (JdbcJournal journal = Journals.openForInspection(url(), clock)) {
            return journal.verify(full, null);
        }
    }

    private String url() {
        return "sqlite:" + file;
    }

    private long pageOf(String name) throws SQLException {
        return query("SELECT rootpage FROM sqlite_master WHERE name = '" + name + "'");
    }

    private long pageSize() throws SQLException {
        return query("PRAGMA page_size");
    }

    private void overwrite(long offset, byte[] bytes) throws IOException {
        assertThat(Files.size(file)).isGreaterThan(offset + bytes.length);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            raf.write(bytes);
        }
    }

    private long query(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private void sql(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
