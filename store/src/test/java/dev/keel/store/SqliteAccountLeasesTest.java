package dev.keel.store;

import static dev.keel.core.journal.JournalSamples.started;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.journal.Fence;
import dev.keel.core.journal.FencedJournal;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteAccountLeasesTest extends AccountLeasesContractTest {
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

    /**
     * A SQLite writer admits fenced appends on the epochs it took or read while no other connection has written
     * ({@link KnownEpochs}): no read of the account's epoch per batch. Anything another process writes makes it read
     * again, once.
     */
    @Test
    void aWriterReadsAnAccountsEpochAgainOnlyAfterAnotherConnectionWrote() {
        JdbcJournal journal = open();
        JdbcJournal other = open();
        try {
            long epoch = journal.takeLease("acct-1");
            FencedJournal fenced = new FencedJournal(journal, new Fence("acct-1", epoch));
            for (int i = 0; i < 5; i++) {
                fenced.append(started("tx-" + i, "acct-1", T0));
            }
            assertThat(journal.writer().epochReads()).as("its own take told it the epoch").isZero();

            other.append(started("tx-other", "acct-2", T0)); // another process writes anything at all
            fenced.append(started("tx-5", "acct-1", T0));
            fenced.append(started("tx-6", "acct-1", T0));

            assertThat(journal.writer().epochReads()).as("read again once, after the other's write").isEqualTo(1);
            assertThat(journal.openStreams("transaction", "acct-1")).hasSize(7);
        } finally {
            other.close();
            journal.close();
        }
    }
}
