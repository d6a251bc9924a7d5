package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.journal.Journal;
import dev.keel.core.journal.OrdersWorking;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionStarted;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.TransactionStatus;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index of working orders across versions: during a rolling upgrade a Keel from before the index (schema 4) may
 * still append to the journal. It moves a stream's {@code last_seq} and knows nothing of {@code working}, so the
 * count a newer Keel wrote must stop counting then, or the protection watch would skip a transaction that such a
 * writer just made live again.
 */
class WorkingIndexTest {
    private static final Instant T0 = Instant.parse("2026-12-06T15:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aRecordAppendedByAWriterFromBeforeTheIndexMakesTheCountUnsaid() throws Exception {
        Path file = dir.resolve("journal.db");
        try (Journal journal = Journals.open("sqlite:" + file, Clock.systemUTC())) {
            journal.appendAll(List.of(new TransactionStarted("tx-1", "main", "rebalance", "tx-1", List.of(),
                            new AccountSnapshot("main", BigDecimal.ZERO, BigDecimal.ZERO, List.of(), T0),
                            BigDecimal.ZERO, T0),
                    new TransactionEnded("tx-1", "main", TransactionStatus.COMPLETED, null, null, null, T0),
                    new OrdersWorking("tx-1", "main", 0, 0, T0)));
            assertThat(journal.transaction("tx-1").orElseThrow().settled()).isTrue();

            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement s = c.createStatement()) {
                // what a schema-4 writer's fold of one more record of tx-1 does: it moves last_seq, nothing else
                s.executeUpdate("UPDATE streams SET last_seq = last_seq + 1 WHERE stream_id = 'tx-1'");
            }

            assertThat(journal.transaction("tx-1").orElseThrow().working()).isNull();
            assertThat(journal.recentTransactions(10, "main").getFirst().settled()).isFalse();
        }
    }
}
