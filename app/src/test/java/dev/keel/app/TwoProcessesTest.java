package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.model.TransactionStatus;
import dev.keel.store.Journals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: two {@code keel rebalance} on one account at once, in two JVMs on one SQLite journal (a cron job and an
 * operator). The first holds the account's lease while its IEF buy hangs at the broker; the second waits for the
 * lease its whole timeout and ends ABORTED with ACCOUNT_LOCKED, having journaled no order. Before the lease held
 * across processes, both rebalanced the account.
 */
class TwoProcessesTest {
    @TempDir
    Path dir;

    @Test
    void aSecondRebalanceInAnotherProcessWaitsForTheLeaseThenEndsAbortedWithNothingSent() throws Exception {
        // One journal, and each process its own paper exchange (a paper state file has one owner; sharing a broker
        // is `keel paper serve`'s): the lease is the journal's business. The IEF buy hangs at the first process's
        // broker, so it holds the lease as long as the test needs.
        Path first = Files.createDirectories(dir.resolve("first"));
        Path second = Files.createDirectories(dir.resolve("second"));
        Path firstConfig = sharedJournal(CommandsTest.config(first,
                "{ op: submit, kind: slow, delay: 10m, symbol: IEF }"), first);
        Path secondConfig = sharedJournal(CommandsTest.config(second, ""), second);

        Process holder = ChildKeel.start(first, "rebalance", "--config", firstConfig.toString());
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> holder.isAlive() && ChildKeel.intentJournaled(dir.resolve("keel.db"), "buy-IEF"));

            Process waiter = ChildKeel.start(second, "rebalance", "--config", secondConfig.toString(), "--json");
            assertThat(waiter.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String out = new String(waiter.getInputStream().readAllBytes());
            assertThat(waiter.exitValue()).as(out + Files.readString(second.resolve("stderr-rebalance.txt")))
                    .isEqualTo(4);
            assertThat(out).contains("ACCOUNT_LOCKED");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }

        try (Journal journal = Journals.open("sqlite:" + dir.resolve("keel.db"), Clock.systemUTC())) {
            List<TransactionSummary> txs = journal.recentTransactions(10, "main");
            assertThat(txs).hasSize(2);
            TransactionSummary aborted = txs.stream().filter(t -> t.status() == TransactionStatus.ABORTED)
                    .findFirst().orElseThrow(() -> new AssertionError("no ABORTED transaction in " + txs));
            List<JournalRecord> records = journal.stream(aborted.txId());
            assertThat(records).extracting(JournalRecord::event).filteredOn(TransactionEnded.class::isInstance)
                    .map(TransactionEnded.class::cast).singleElement()
                    .satisfies(e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCOUNT_LOCKED));
            assertThat(records).extracting(JournalRecord::event).noneMatch(OrderIntentRecorded.class::isInstance);
            TransactionSummary working = txs.stream().filter(t -> t != aborted).findFirst().orElseThrow();
            assertThat(working.status()).as("the holder was killed mid-rebalance")
                    .isEqualTo(TransactionStatus.IN_PROGRESS);
        }
    }

    /** The configuration with its journal moved to the shared one in the test's folder. */
    private Path sharedJournal(Path config, Path own) throws java.io.IOException {
        Files.writeString(config, Files.readString(config).replace("sqlite:" + own + "/keel.db",
                "sqlite:" + dir.resolve("keel.db")));
        return config;
    }
}
