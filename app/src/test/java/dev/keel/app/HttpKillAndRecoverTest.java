package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.alpaca.AlpacaBroker;
import dev.keel.alpaca.AlpacaKeys;
import dev.keel.alpaca.AlpacaSettings;
import dev.keel.core.broker.OrderQuery;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.reconcile.AccountCheck;
import dev.keel.core.time.Sleeper;
import dev.keel.store.Journals;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
 * {@link KillAndRecoverTest} over HTTP, with three JVMs: {@code keel paper serve} keeps serving the exchange while
 * the engine JVM ({@code keel rebalance} with {@code broker.kind: alpaca} pointed at it) is killed with SIGKILL
 * mid-rebalance, its IEF submit in flight at the server; then {@code keel recover} in a new JVM finishes the job. At
 * the server: one order per client order id, every one journaled; the transaction terminal.
 */
class HttpKillAndRecoverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A throwaway secret for this test's own paper server; it reaches the children only through files in @TempDir. */
    private static final String SECRET = "http-kill-test-secret-5d21";

    @TempDir
    Path dir;

    private static final String SERVER = """
            broker:
              kind: paper
              paper:
                state: %1$s/paper.db
                seed: 42
                cash: 10000.00
                positions: { VTI: 50, TLT: 10 }
                prices: { VTI: 250.00, TLT: 90.00, IEF: 95.00, GLD: 185.00, DBC: 22.00 }
                # The IEF submit is held at the server: the engine's intent is durable, its request in flight.
                faults: [ { op: submit, kind: slow, delay: 10m, symbol: IEF, times: 1 } ]
            accounts:
              - id: main
                targets: { VTI: 0.30, TLT: 0.40, IEF: 0.15, GLD: 0.075, DBC: 0.075 }
            """;

    private static final String ENGINE = """
            journal: sqlite:%1$s/keel.db
            broker:
              kind: alpaca
              alpaca: { endpoint: %2$s, data-url: %2$s, timeout: 60s, key-file: %1$s/alpaca.keys }
            accounts:
              - id: main
                targets: { VTI: 0.30, TLT: 0.40, IEF: 0.15, GLD: 0.075, DBC: 0.075 }
            notifications: [ { kind: file, path: %1$s/notifications.log } ]
            """;

    @Test
    void sigkillMidRebalanceWhileTheServerRunsThenRecoverLeavesOneOrderPerIdAllJournaled() throws Exception {
        Path secretFile = Files.writeString(dir.resolve("paper.secret"), SECRET + "\n");
        Path serverConfig = Files.writeString(dir.resolve("server.yaml"), SERVER.formatted(dir));
        Process server = ChildKeel.start(dir, "paper", "serve", "--config", serverConfig.toString(), "--port", "0",
                "--json", "--secret-file", secretFile.toString());
        try {
            String serving = PaperServeCommandTest.document(new BufferedReader(new InputStreamReader(
                    server.getInputStream(), StandardCharsets.UTF_8)));
            assertThat(serving).as("the server's URL; its stderr is in %s", dir.resolve("stderr-paper.txt"))
                    .isNotNull();
            URI url = URI.create(JSON.readTree(serving).get("url").asText());
            Files.writeString(dir.resolve("alpaca.keys"), AlpacaKeys.KEY_ID_VARIABLE + "=main\n"
                    + AlpacaKeys.SECRET_VARIABLE + "=" + SECRET + "\n");
            Path engineConfig = Files.writeString(dir.resolve("keel.yaml"), ENGINE.formatted(dir, url));

            Process engine = ChildKeel.start(dir, "rebalance", "--config", engineConfig.toString());
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                        engine.isAlive() && ChildKeel.intentJournaled(dir.resolve("keel.db"), "buy-IEF"));
            } finally {
                engine.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks, no flush
            }
            assertThat(engine.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(engine.exitValue()).isEqualTo(137);
            assertThat(server.isAlive()).as("the server outlives the engine").isTrue();

            Process recover = ChildKeel.start(dir, "recover", "--config", engineConfig.toString(), "--json");
            assertThat(recover.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String recoverOut = new String(recover.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(recover.exitValue()).as(recoverOut + Files.readString(dir.resolve("stderr-recover.txt")))
                    .isZero();
            assertThat(recoverOut).contains("\"status\" : \"COMPLETED\"");

            List<BrokerOrder> orders = ordersAtTheServer(url);
            try (Journal journal = Journals.open("sqlite:" + dir.resolve("keel.db"), Clock.systemUTC())) {
                Map<String, Long> perId = orders.stream().collect(Collectors.groupingBy(BrokerOrder::clientOrderId,
                        Collectors.counting()));
                assertThat(perId).as("orders per client order id at the server")
                        .allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
                assertThat(orders).hasSize(5).as("every order at the server is in the journal")
                        .allSatisfy(o -> assertThat(AccountCheck.track(journal, o.clientOrderId())).isNotNull());
                assertThat(orders).extracting(BrokerOrder::clientOrderId)
                        .anySatisfy(id -> assertThat(id).endsWith(":buy-IEF"));
                assertThat(journal.openStreams(JournalEvent.TRANSACTION)).isEmpty();
                List<TransactionSummary> txs = journal.recentTransactions(10, null);
                assertThat(txs).singleElement()
                        .satisfies(t -> assertThat(t.status()).isEqualTo(TransactionStatus.COMPLETED));
                assertThat(TransactionView.fold(journal.stream(txs.get(0).txId())).resumes()).isEqualTo(1);
            }
        } finally {
            server.destroy(); // SIGTERM: the server closes its state file
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** Every order the server holds for the account, asked over its own API. */
    private static List<BrokerOrder> ordersAtTheServer(URI url) {
        AlpacaSettings settings = AlpacaSettings.builder(url).dataUrl(url).build();
        try (AlpacaBroker broker = new AlpacaBroker("main", settings, new AlpacaKeys("main", SECRET),
                Clock.systemUTC(), Sleeper.system())) {
            return broker.orders(new OrderQuery(OrderQuery.Status.ALL, null, OrderQuery.MAX_LIMIT));
        }
    }
}
