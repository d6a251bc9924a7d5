package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OrderState;
import dev.keel.core.ops.OperationView;
import dev.keel.core.reconcile.AccountCheck;
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
 * {@code keel order bracket} in its own JVM is killed with SIGKILL between two steps — the entry filled, the
 * protective pair's intent journaled and its submit hanging at the exchange — and {@code keel recover} in a new JVM
 * finishes the bracket against the same journal and paper exchange state.
 */
class OrderKillAndRecoverTest {
    @TempDir
    Path dir;

    private static final String CONFIG = """
            journal: sqlite:%1$s/keel.db
            broker:
              kind: paper
              paper:
                state: %1$s/paper.db
                seed: 42
                cash: 10000.00
                positions: { VTI: 50 }
                prices: { VTI: 250.00 }
                faults: [ %2$s ]
            accounts:
              - id: main
                targets: { VTI: 1.0 }
            notifications: [ { kind: file, path: %1$s/notifications.log } ]
            """;

    @Test
    void sigkillBetweenEntryFillAndProtectionThenRecoverCompletesTheBracketWithOneOrderPerIntent() throws Exception {
        // the second submit on VTI (the protective pair, after the entry) hangs: its intent is durable, the engine
        // blocked inside the broker call
        Path hanging = config("hanging.yaml", "{ op: submit, kind: slow, delay: 10m, symbol: VTI, nth: 2 }");
        Path healthy = config("healthy.yaml", "");

        Process engine = keel("order", "bracket", "--config", hanging.toString(), "--symbol", "VTI", "--qty", "10",
                "--stop", "240", "--target", "260");
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!engine.isAlive()) {
                            throw new AssertionError("the bracket ended before its protection was sent: "
                                    + Files.readString(dir.resolve("stderr-order.txt"))
                                    + new String(engine.getInputStream().readAllBytes()));
                        }
                        return ChildKeel.intentJournaled(dir.resolve("keel.db"), "protect-1");
                    });
        } finally {
            engine.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks, no flush
        }
        assertThat(engine.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(engine.exitValue()).isEqualTo(137);

        Process recover = keel("recover", "--config", healthy.toString(), "--json");
        assertThat(recover.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String recoverOut = new String(recover.getInputStream().readAllBytes());
        assertThat(recover.exitValue()).as(recoverOut + Files.readString(dir.resolve("stderr-recover.txt")))
                .isZero();

        try (Journal journal = Journals.open("sqlite:" + dir.resolve("keel.db"), Clock.systemUTC());
             PaperExchange exchange = new PaperExchange(PaperConfig.builder().stateFile(dir.resolve("paper.db"))
                     .build(), Clock.systemUTC(), Sleeper.system())) {
            assertThat(journal.openStreams(JournalEvent.TRANSACTION)).isEmpty();
            List<TransactionSummary> txs = journal.recentTransactions(10, null);
            assertThat(txs).singleElement().satisfies(t -> assertThat(t.operation()).isEqualTo("bracket_order"));
            OperationView view = OperationView.fold(journal.stream(txs.get(0).txId()));
            assertThat(view.state()).isEqualTo(OperationState.COMPLETED);
            assertThat(view.transaction().resumes()).isEqualTo(1);
            assertThat(view.order(txs.get(0).txId() + ":entry").state()).isEqualTo(OrderState.FILLED);

            List<ExchangeOrderLogEntry> orders = exchange.orderLog();
            Map<String, Long> perIntent = orders.stream()
                    .collect(Collectors.groupingBy(ExchangeOrderLogEntry::clientOrderId, Collectors.counting()));
            assertThat(perIntent).as("orders per client order id").allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
            assertThat(orders).as("every order at the exchange is in the journal")
                    .allSatisfy(o -> assertThat(AccountCheck.track(journal, o.clientOrderId())).isNotNull());
            assertThat(orders).extracting(ExchangeOrderLogEntry::clientOrderId)
                    .anySatisfy(id -> assertThat(id).contains(":protect-1"));
        }
    }

    private Path config(String name, String faults) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, CONFIG.formatted(dir, faults));
        return file;
    }

    private Process keel(String... args) throws IOException {
        return ChildKeel.start(dir, args);
    }
}
