package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.Journal;
import dev.keel.core.reconcile.AccountCheck;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.time.Sleeper;
import dev.keel.paper.ExchangeOrderLogEntry;
import dev.keel.paper.PaperConfig;
import dev.keel.paper.PaperExchange;
import dev.keel.store.Journals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine JVM is killed with SIGKILL in the middle of a rebalance — after some orders filled, while another's
 * intent is journaled and its submit is in flight — and {@code keel recover} in a new JVM finishes the job against
 * the same journal and paper exchange state.
 */
class KillAndRecoverTest {
    @TempDir
    Path dir;

    private static final String CONFIG = """
            journal: sqlite:%s/keel.db
            broker:
              kind: paper
              paper:
                state: %s/paper.db
                seed: 42
                cash: 10000.00
                positions: { VTI: 50, TLT: 10 }
                prices: { VTI: 250.00, TLT: 90.00, IEF: 95.00, GLD: 185.00, DBC: 22.00 }
                faults: [ %s ]
            accounts:
              - id: main
                targets: { VTI: 0.30, TLT: 0.40, IEF: 0.15, GLD: 0.075, DBC: 0.075 }
            notifications: [ { kind: file, path: %s/notifications.log } ]
            """;

    @Test
    void sigkillMidRebalanceThenRecoverLeavesOneOrderPerIntentAllJournaledAndTheTransactionTerminal()
            throws Exception {
        // The IEF buy hangs in its submit: the intent is durable, the engine is blocked inside the broker call.
        Path hanging = config("hanging.yaml", "{ op: submit, kind: slow, delay: 10m, symbol: IEF }");
        Path healthy = config("healthy.yaml", "");

        Process engine = keel(dir, "rebalance", "--config", hanging.toString());
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> engine.isAlive() && ChildKeel.intentJournaled(dir.resolve("keel.db"), "buy-IEF"));
        } finally {
            engine.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks, no flush
        }
        assertThat(engine.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(engine.exitValue()).isEqualTo(137);

        Process recover = keel(dir, "recover", "--config", healthy.toString(), "--json");
        assertThat(recover.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String recoverOut = new String(recover.getInputStream().readAllBytes());
        assertThat(recover.exitValue()).as(recoverOut + Files.readString(dir.resolve("stderr-recover.txt"))).isZero();
        assertThat(recoverOut).contains("\"status\" : \"COMPLETED\"");

        try (Journal journal = Journals.open("sqlite:" + dir.resolve("keel.db"), Clock.systemUTC());
             PaperExchange exchange = new PaperExchange(PaperConfig.builder().stateFile(dir.resolve("paper.db"))
                     .build(), Clock.systemUTC(), Sleeper.system())) {
            List<ExchangeOrderLogEntry> orders = exchange.orderLog();
            Map<String, Long> perIntent = orders.stream()
                    .collect(Collectors.groupingBy(ExchangeOrderLogEntry::clientOrderId, Collectors.counting()));
            assertThat(perIntent).as("orders per client order id").allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
            assertThat(orders).as("every order at the exchange is in the journal")
                    .allSatisfy(o -> assertThat(AccountCheck.track(journal, o.clientOrderId())).isNotNull());
            assertThat(orders).extracting(ExchangeOrderLogEntry::clientOrderId)
                    .anySatisfy(id -> assertThat(id).endsWith(":buy-IEF"));
            assertThat(journal.openStreams(JournalEvent.TRANSACTION)).isEmpty();
            List<TransactionSummary> txs = journal.recentTransactions(10, null);
            assertThat(txs).singleElement().satisfies(t -> assertThat(t.status()).isEqualTo(TransactionStatus.COMPLETED));
            assertThat(TransactionView.fold(journal.stream(txs.get(0).txId())).resumes()).isEqualTo(1);
        }
    }

    private Path config(String name, String faults) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, CONFIG.formatted(dir, dir, faults, dir));
        return file;
    }

    private static Process keel(Path workDir, String... args) throws IOException {
        return ChildKeel.start(workDir, args);
    }

}
