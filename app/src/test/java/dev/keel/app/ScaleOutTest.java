package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keel.alpaca.AlpacaBroker;
import dev.keel.alpaca.AlpacaSettings;
import dev.keel.app.bench.ScaleOutRig;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
 * <p>The setup is {@link ScaleOutRig}'s, shared with {@code keel bench workers}. Needs PostgreSQL on 127.0.0.1:5432
 * and Redis on 127.0.0.1:6379: skipped with a notice without them, a failure
 * under {@code KEEL_REQUIRE_SERVICES=1}.
 */
class ScaleOutTest {
    static final int ACCOUNTS = 200;
    static final int EVENTS = 1_000;

    @TempDir
    Path dir;

    @Test
    void threeWorkersOneKilledEveryGoodEventOnceEveryOrderJournaledThePoisonDeadLettered() throws Exception {
        ServerOutageTest.postgresAndRedisOrSkip("ScaleOutTest");
        try (ScaleOutRig rig = ScaleOutRig.open(dir, ACCOUNTS, ScaleOutRig.Source.REDIS)) {
            Path config = rig.config();
            List<String> good = new ArrayList<>();
            List<String> poison = new ArrayList<>();
            push(rig, good, poison);

            List<Process> workers = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                workers.add(rig.worker("worker-" + i));
            }
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                    .until(() -> rig.endedTransactions() >= EVENTS / 4);
            Process killed = workers.get(0);
            killed.destroyForcibly(); // SIGKILL, mid-way: its event in hand stays pending for XAUTOCLAIM
            assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
            workers.add(rig.worker("worker-4"));

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

            try (Journal journal = Journals.open(rig.journalUrl(), Clock.systemUTC())) {
                assertThat(journal.openStreams(JournalEvent.TRANSACTION)).as("every transaction terminal").isEmpty();
                Map<String, Integer> perEvent = transactionsPerEvent(rig);
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
                    for (BrokerOrder o : ordersAtTheServer(rig, ScaleOutRig.account(a))) {
                        atServer.merge(o.clientOrderId(), 1, Integer::sum);
                    }
                }
                assertThat(atServer).isNotEmpty().as("one order per client order id at the server")
                        .allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
                assertThat(intents).as("every order at the server was journaled first")
                        .containsAll(atServer.keySet());
            }
        }
    }

    /** 1,000 good rebalance events (seeded: accounts drawn at random, targets alternating) and 12 poison ones. */
    private static void push(ScaleOutRig rig, List<String> good, List<String> poison) throws Exception {
        List<ScaleOutRig.Message> messages = new ArrayList<>(ScaleOutRig.rebalances(EVENTS, ACCOUNTS, 42,
                Instant.parse("2026-12-05T10:00:00Z")));
        messages.forEach(m -> good.add(m.id()));
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
            messages.add(new ScaleOutRig.Message("p-" + i, "a001", bodies.get(i)));
            poison.add("p-" + i);
        }
        rig.push(messages);
    }

    private static Map<String, Integer> transactionsPerEvent(ScaleOutRig rig) throws SQLException {
        Map<String, Integer> perEvent = new HashMap<>();
        try (Connection c = rig.journalConnection(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT correlation_id, count(*) FROM streams WHERE kind = 'transaction' GROUP BY correlation_id")) {
            while (rs.next()) {
                perEvent.put(rs.getString(1), rs.getInt(2));
            }
        }
        return perEvent;
    }

    private static List<BrokerOrder> ordersAtTheServer(ScaleOutRig rig, String account) {
        AlpacaSettings settings = AlpacaSettings.builder(rig.url()).dataUrl(rig.url()).build();
        try (AlpacaBroker broker = new AlpacaBroker(account, settings, rig.keys(account),
                Clock.systemUTC(), Sleeper.system())) {
            return broker.orders(new OrderQuery(OrderQuery.Status.ALL, null, OrderQuery.MAX_LIMIT));
        }
    }
}
