package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.alpaca.AlpacaBroker;
import dev.keel.alpaca.AlpacaKeys;
import dev.keel.alpaca.AlpacaSettings;
import dev.keel.app.config.ConfigLoader;
import dev.keel.app.intake.Intake;
import dev.keel.core.broker.OrderQuery;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.time.Sleeper;
import dev.keel.store.Journals;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keel scaled out, as issue 12 describes it, with real processes and servers: one {@code keel paper serve} (the
 * shared broker, each account its own key pair), one PostgreSQL journal, one Redis stream, and three {@code keel
 * worker} JVMs taking 1,000 rebalance events over 200 accounts (several per account, alternating targets) and a dozen
 * poison events. One worker is SIGKILLed mid-way and a fresh one started. Afterwards: every good event started exactly
 * one transaction, and each is terminal; the exchange holds one order per client order id, every one journaled; every
 * transaction ended once; the dead letters are exactly the poison events; the survivors stop on SIGTERM with exit 0.
 *
 * <p>Needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379: skipped with a notice without them, a failure
 * under {@code KEEL_REQUIRE_SERVICES=1}.
 */
class ScaleOutTest {
    static final int ACCOUNTS = 200;
    static final int EVENTS = 1_000;
    static final String SECRET = "scale-out-test-secret-41c7";
    static final String ADMIN = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void threeWorkersOneKilledEveryGoodEventOnceEveryOrderJournaledThePoisonDeadLettered() throws Exception {
        servicesOrSkip();
        String database = "keel_scale_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(ADMIN)) {
            admin.createStatement().execute("CREATE DATABASE " + database);
        }
        Process server = null;
        List<Process> workers = new ArrayList<>();
        try {
            Path secretFile = Files.writeString(dir.resolve("paper.secret"), SECRET + "\n");
            Path serverConfig = Files.writeString(dir.resolve("server.yaml"), """
                    broker:
                      kind: paper
                      paper:
                        state: %1$s/paper.db
                        seed: 42
                        cash: 10000.00
                        positions: { VTI: 20, TLT: 20 }
                        prices: { VTI: 250.00, TLT: 90.00, IEF: 95.00 }
                    accounts:
                      - id: any
                        targets: { VTI: 1.0 }
                    """.formatted(dir));
            server = start("paper", "paper", "serve", "--config", serverConfig.toString(), "--port", "0", "--json",
                    "--secret-file", secretFile.toString());
            String serving = PaperServeCommandTest.document(new BufferedReader(new InputStreamReader(
                    server.getInputStream(), StandardCharsets.UTF_8)));
            assertThat(serving).as("the paper server's URL (stderr in %s)", dir.resolve("stderr-paper.txt"))
                    .isNotNull();
            URI url = URI.create(JSON.readTree(serving).get("url").asText());

            String stream = "keel:scale-test:" + database;
            Path config = workerConfig(url, database, stream);
            List<String> good = new ArrayList<>();
            List<String> poison = new ArrayList<>();
            push(config, good, poison);

            for (int i = 1; i <= 3; i++) {
                workers.add(start("worker-" + i, "worker", "--config", config.toString(), "--name", "w" + i));
            }
            String journalUrl = "postgresql://127.0.0.1:5432/" + database + "?user=postgres";
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                    .until(() -> endedTransactions(database) >= EVENTS / 4);
            Process killed = workers.get(0);
            killed.destroyForcibly(); // SIGKILL, mid-way: its event in hand stays pending for XAUTOCLAIM
            assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
            workers.add(start("worker-4", "worker", "--config", config.toString(), "--name", "w4"));

            try (Intake.Opened opened = Intake.open(ConfigLoader.load(config), Clock.systemUTC(), "observer")) {
                await().atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> opened.source().pending() == 0
                                && opened.source().deadLetters().list().size() >= poison.size());
                assertThat(opened.source().deadLetters().list()).extracting(d -> d.messageId())
                        .containsExactlyInAnyOrderElementsOf(poison);
            }
            for (Process w : workers.subList(1, workers.size())) {
                w.destroy(); // SIGTERM
            }
            for (int i = 1; i < workers.size(); i++) {
                Process w = workers.get(i);
                assertThat(w.waitFor(60, TimeUnit.SECONDS)).as("worker %d stops within the bound", i + 1).isTrue();
                assertThat(w.exitValue()).as(Files.readString(dir.resolve("stderr-worker-" + (i + 1) + ".txt")))
                        .isZero();
            }

            try (Journal journal = Journals.open(journalUrl, Clock.systemUTC())) {
                assertThat(journal.openStreams(JournalEvent.TRANSACTION)).as("every transaction terminal").isEmpty();
                Map<String, Integer> perEvent = transactionsPerEvent(database);
                assertThat(perEvent.keySet()).containsExactlyInAnyOrderElementsOf(good);
                assertThat(perEvent).as("transactions per good event").allSatisfy((e, n) -> assertThat(n)
                        .isEqualTo(1));
                Set<String> intents = new HashSet<>();
                Map<String, Integer> endings = new HashMap<>();
                journal.replay(0, r -> {
                    if (r.event() instanceof OrderIntentRecorded i) {
                        intents.add(i.clientOrderId());
                    } else if (r.event() instanceof TransactionEnded e) {
                        endings.merge(e.txId(), 1, Integer::sum);
                    }
                });
                assertThat(endings).as("every transaction ended once").allSatisfy((tx, n) -> assertThat(n)
                        .isEqualTo(1));
                Map<String, Integer> atServer = new HashMap<>();
                for (int a = 0; a < ACCOUNTS; a++) {
                    for (BrokerOrder o : ordersAtTheServer(url, account(a))) {
                        atServer.merge(o.clientOrderId(), 1, Integer::sum);
                    }
                }
                assertThat(atServer).isNotEmpty().as("one order per client order id at the server")
                        .allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
                assertThat(intents).as("every order at the server was journaled first")
                        .containsAll(atServer.keySet());
            }
        } finally {
            for (Process w : workers) {
                w.destroyForcibly();
            }
            if (server != null) {
                server.destroy();
                if (!server.waitFor(60, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
            try (Connection admin = DriverManager.getConnection(ADMIN)) {
                admin.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    static String account(int i) {
        return String.format("a%03d", i);
    }

    private Path workerConfig(URI url, String database, String stream) throws IOException {
        StringBuilder keys = new StringBuilder();
        StringBuilder accounts = new StringBuilder();
        for (int i = 0; i < ACCOUNTS; i++) {
            String id = account(i);
            Path file = Files.writeString(dir.resolve(id + ".keys"), AlpacaKeys.KEY_ID_VARIABLE + "=" + id + "\n"
                    + AlpacaKeys.SECRET_VARIABLE + "=" + SECRET + "\n");
            keys.append(i == 0 ? "" : ", ").append(id).append(": ").append(file);
            accounts.append("  - { id: ").append(id).append(", targets: { VTI: 0.5, TLT: 0.5 } }\n");
        }
        return Files.writeString(dir.resolve("worker.yaml"), """
                journal: postgresql://127.0.0.1:5432/%1$s?user=postgres
                broker:
                  kind: alpaca
                  alpaca: { endpoint: "%2$s", data-url: "%2$s", timeout: 60s, key-files: { %3$s } }
                accounts:
                %4$snotifications: [ { kind: file, path: %5$s/notifications.log } ]
                events: { kind: redis, url: "redis://127.0.0.1:6379", stream: "%6$s", group: keel,
                          visibility-timeout: 20s, backoff: 200ms, max-backoff: 2s, max-deliveries: 50 }
                """.formatted(database, url, keys, accounts, dir, stream));
    }

    /** 1,000 good rebalance events (seeded: accounts drawn at random, targets alternating) and 12 poison ones. */
    private void push(Path config, List<String> good, List<String> poison) throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        try (Intake.Opened opened = Intake.open(ConfigLoader.load(config), Clock.systemUTC(), "pusher")) {
            for (int i = 0; i < EVENTS; i++) {
                String id = "ev-" + i;
                String account = account(i < ACCOUNTS ? i : random.nextInt(ACCOUNTS));
                String targets = random.nextBoolean() ? "{\"VTI\": 0.7, \"TLT\": 0.3}" : "{\"VTI\": 0.3, \"TLT\": 0.7}";
                opened.source().push(id, account, "{\"event_id\": \"" + id + "\", \"account_id\": \"" + account
                        + "\", \"type\": \"rebalance\", \"payload\": {\"targets\": " + targets
                        + "}, \"created_at\": \"2026-12-05T10:00:00Z\"}");
                good.add(id);
            }
            List<String> bodies = List.of(
                    "{\"event_id\": \"p-0\", \"account_id\": \"nobody\", \"type\": \"rebalance\"}",
                    "{not json",
                    "{\"event_id\": \"p-2\", \"account_id\": \"a001\", \"type\": \"rebalance\", \"payload\": "
                            + "{\"targets\": {\"VTI\": 0.5, \"TLT\": 0.6}}}",
                    "{\"event_id\": \"p-3\", \"account_id\": \"a001\", \"type\": \"explode\"}",
                    "{\"event_id\": \"p-4\", \"account_id\": \"a002\", \"type\": \"rebalance\", \"payload\": "
                            + "{\"pad\": \"" + "x".repeat(70_000) + "\"}}",
                    "[]",
                    "{\"event_id\": \"p-6\", \"type\": \"rebalance\"}",
                    "{\"event_id\": \"p-7\", \"account_id\": \"a003\", \"type\": \"reconcile\", \"payload\": "
                            + "{\"targets\": {\"VTI\": 1}}}",
                    "{\"event_id\": \"p-8\", \"account_id\": \"a004\", \"type\": \"rebalance\", \"payload\": 7}",
                    "{\"event_id\": \"p-9\", \"account_id\": \"a005\", \"type\": \"rebalance\", \"payload\": "
                            + "{\"targets\": {\"VTI\": -0.5, \"TLT\": 1.5}}}",
                    "",
                    "{\"event_id\": \"p-11\", \"account_id\": \"a006\", \"type\": \"rebalance\", \"payload\": "
                            + "{\"allocation_url\": \"ftp://example.com/x\"}}");
            for (int i = 0; i < bodies.size(); i++) {
                String id = "p-" + i;
                opened.source().push(id, "a001", bodies.get(i));
                poison.add(id);
            }
        }
    }

    private static long endedTransactions(String database) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database
                + "?user=postgres"); ResultSet rs = c.createStatement().executeQuery(
                "SELECT count(*) FROM streams WHERE kind = 'transaction' AND closed = 1")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            return 0; // the schema may not exist yet while the first worker starts
        }
    }

    private static Map<String, Integer> transactionsPerEvent(String database) throws SQLException {
        Map<String, Integer> perEvent = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database
                + "?user=postgres"); ResultSet rs = c.createStatement().executeQuery(
                "SELECT correlation_id, count(*) FROM streams WHERE kind = 'transaction' GROUP BY correlation_id")) {
            while (rs.next()) {
                perEvent.put(rs.getString(1), rs.getInt(2));
            }
        }
        return perEvent;
    }

    private static List<BrokerOrder> ordersAtTheServer(URI url, String account) {
        AlpacaSettings settings = AlpacaSettings.builder(url).dataUrl(url).build();
        try (AlpacaBroker broker = new AlpacaBroker(account, settings, new AlpacaKeys(account, SECRET),
                Clock.systemUTC(), Sleeper.system())) {
            return broker.orders(new OrderQuery(OrderQuery.Status.ALL, null, OrderQuery.MAX_LIMIT));
        }
    }

    /** A child keel JVM whose stderr goes to {@code stderr-NAME.txt}. */
    private Process start(String name, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "dev.keel.app.Main"));
        command.addAll(List.of(args));
        File err = dir.resolve("stderr-" + name + ".txt").toFile();
        return new ProcessBuilder(command).directory(dir.toFile()).redirectError(err)
                .redirectOutput(args[0].equals("paper") ? ProcessBuilder.Redirect.PIPE
                        : ProcessBuilder.Redirect.to(dir.resolve("stdout-" + name + ".txt").toFile())).start();
    }

    private static void servicesOrSkip() {
        List<String> missing = new ArrayList<>();
        for (var s : List.of(new InetSocketAddress("127.0.0.1", 5432), new InetSocketAddress("127.0.0.1", 6379))) {
            try (Socket socket = new Socket()) {
                socket.connect(s, 2000);
            } catch (IOException e) {
                missing.add(s.toString());
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String notice = "ScaleOutTest needs PostgreSQL and Redis; not answering: " + missing;
        if (DashboardBrowserTest.servicesRequired()) {
            throw new IllegalStateException(notice + ", and KEEL_REQUIRE_SERVICES forbids skipping");
        }
        System.err.println("*** SKIPPED *** " + notice);
        Assumptions.abort(notice);
    }
}
