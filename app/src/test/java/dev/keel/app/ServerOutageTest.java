package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keel.app.config.ConfigLoader;
import dev.keel.app.intake.Intake;
import java.io.IOException;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a worker does when Redis or PostgreSQL goes away mid-run (issue 12): it fails safe. A real {@code keel worker}
 * reaches both servers through a proxy the test cuts. While a server is gone the worker takes no new work and spends
 * no event's deliveries (nothing is dead-lettered for an outage that is not the event's fault), loses nothing, and
 * once the server is back every event runs exactly once and every transaction ends.
 *
 * <p>Needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379: skipped with a notice without them, a failure
 * under {@code KEEL_REQUIRE_SERVICES=1}.
 */
class ServerOutageTest {
    static final int ACCOUNTS = 6;
    static final String ADMIN = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @TempDir
    Path dir;

    @Test
    void aWorkerStopsTakingWorkWhileRedisOrPostgresqlIsGoneLosesNothingAndResumesWhenItIsBack() throws Exception {
        postgresAndRedisOrSkip("ServerOutageTest");
        String database = "keel_outage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(ADMIN)) {
            admin.createStatement().execute("CREATE DATABASE " + database);
        }
        Process worker = null;
        try (CuttableProxy postgres = new CuttableProxy(5432); CuttableProxy redis = new CuttableProxy(6379)) {
            String stream = "keel:outage-test:" + database;
            Path direct = config("direct.yaml", database, 5432, 6379, stream);
            Path proxied = config("worker.yaml", database, postgres.port(), redis.port(), stream);
            List<String> events = new ArrayList<>();
            push(direct, events, 0, 24);
            worker = ChildKeel.startLogged(dir, "worker", "--config", proxied.toString(), "--name", "w1");
            Path stderr = dir.resolve("stderr-worker.txt");
            Path log = dir.resolve("stdout-worker.txt");
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> count(database, "closed = 1") >= 4);

            // Redis goes away: the event in hand may finish, but no further one is taken
            redis.cut();
            int before = failures(log);
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                    .until(() -> failures(log) >= before + 1);
            long startedAtFirstFailure = count(database, "true");
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                    .until(() -> failures(log) >= before + 4);
            assertThat(count(database, "true")).as("no transaction starts while Redis is gone")
                    .isEqualTo(startedAtFirstFailure);
            assertThat(worker.isAlive()).as("the worker waits for Redis; it does not die").isTrue();
            redis.restore();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300))
                    .until(() -> transactionsPerEvent(database).size() == events.size()
                            && count(database, "closed = 0") == 0);

            // PostgreSQL goes away mid-run: no event is taken only to fail, none spends its deliveries
            push(direct, events, 24, 48);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> count(database, "closed = 1") >= 28);
            postgres.cut();
            int beforePg = failures(log);
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                    .until(() -> failures(log) >= beforePg + 8);
            assertThat(worker.isAlive()).as("the worker waits for PostgreSQL; it does not die").isTrue();
            try (Intake.Opened observer = Intake.open(ConfigLoader.load(direct), Clock.systemUTC(), "observer")) {
                assertThat(observer.source().deadLetters().list()).as("nothing dead-lettered for an outage")
                        .isEmpty();
            }
            postgres.restore();
            try (Intake.Opened observer = Intake.open(ConfigLoader.load(direct), Clock.systemUTC(), "observer")) {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300))
                        .until(() -> observer.source().pending() == 0
                                && transactionsPerEvent(database).size() == events.size()
                                && count(database, "closed = 0") == 0);
                assertThat(observer.source().deadLetters().list()).as("no dead letters").isEmpty();
            }
            assertThat(transactionsPerEvent(database)).as("one transaction per event, none lost, none doubled")
                    .containsOnlyKeys(events).allSatisfy((e, n) -> assertThat(n).isEqualTo(1));

            worker.destroy(); // SIGTERM
            assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(worker.exitValue()).as(Files.readString(stderr)).isZero();
        } finally {
            if (worker != null) {
                worker.destroyForcibly();
            }
            try (Connection admin = DriverManager.getConnection(ADMIN)) {
                admin.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    private Path config(String name, String database, int postgresPort, int redisPort, String stream)
            throws IOException {
        StringBuilder accounts = new StringBuilder();
        for (int i = 0; i < ACCOUNTS; i++) {
            accounts.append("  - { id: ").append(account(i)).append(", targets: { VTI: 0.5, TLT: 0.5 } }\n");
        }
        return Files.writeString(dir.resolve(name), """
                journal: postgresql://127.0.0.1:%1$d/%2$s?user=postgres
                broker:
                  kind: paper
                  paper:
                    state: %3$s/paper.db
                    seed: 42
                    cash: 10000.00
                    positions: { VTI: 20, TLT: 20 }
                    prices: { VTI: 250.00, TLT: 90.00 }
                accounts:
                %4$snotifications: [ { kind: file, path: %3$s/notifications.log } ]
                events: { kind: redis, url: "redis://127.0.0.1:%5$d", stream: "%6$s", group: keel,
                          visibility-timeout: 2s, backoff: 100ms, max-backoff: 500ms, max-deliveries: 3,
                          idle: 100ms }
                """.formatted(postgresPort, database, dir, accounts, redisPort, stream));
    }

    private static String account(int i) {
        return "acct" + i;
    }

    /** Events {@code from} to {@code to} (exclusive), alternating targets, over the accounts in turn. */
    private static void push(Path config, List<String> ids, int from, int to) throws Exception {
        try (Intake.Opened opened = Intake.open(ConfigLoader.load(config), Clock.systemUTC(), "pusher")) {
            for (int i = from; i < to; i++) {
                String id = "ev-" + i;
                String account = account(i % ACCOUNTS);
                String targets = i % 2 == 0 ? "{\"VTI\": 0.7, \"TLT\": 0.3}" : "{\"VTI\": 0.3, \"TLT\": 0.7}";
                opened.source().push(id, account, "{\"event_id\": \"" + id + "\", \"account_id\": \"" + account
                        + "\", \"type\": \"rebalance\", \"payload\": {\"targets\": " + targets
                        + "}, \"created_at\": \"2026-12-05T10:00:00Z\"}");
                ids.add(id);
            }
        }
    }

    /** The worker's logged warnings that its event source (or the journal under it) failed. */
    private static int failures(Path log) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        int n = 0;
        for (String line : Files.readAllLines(log)) {
            if (line.contains("failed; trying again in")) {
                n++;
            }
        }
        return n;
    }

    private static long count(String database, String where) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database
                + "?user=postgres"); ResultSet rs = c.createStatement().executeQuery(
                "SELECT count(*) FROM streams WHERE kind = 'transaction' AND " + where)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            return 0; // the schema may not exist yet while the worker starts
        }
    }

    private static Map<String, Integer> transactionsPerEvent(String database) {
        Map<String, Integer> perEvent = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database
                + "?user=postgres"); ResultSet rs = c.createStatement().executeQuery(
                "SELECT correlation_id, count(*) FROM streams WHERE kind = 'transaction' GROUP BY correlation_id")) {
            while (rs.next()) {
                perEvent.put(rs.getString(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            return Map.of();
        }
        return perEvent;
    }

    /**
     * Returns when PostgreSQL and Redis answer on their usual ports; otherwise skips {@code test} with a loud
     * notice, or fails it under {@code KEEL_REQUIRE_SERVICES=1}.
     */
    static void postgresAndRedisOrSkip(String test) {
        List<String> missing = dev.keel.app.bench.ScaleOutRig.missingServices();
        if (missing.isEmpty()) {
            return;
        }
        String notice = test + " needs PostgreSQL and Redis; not answering: " + missing;
        if (DashboardBrowserTest.servicesRequired()) {
            throw new IllegalStateException(notice + ", and KEEL_REQUIRE_SERVICES forbids skipping");
        }
        System.err.println("*** SKIPPED *** " + notice);
        Assumptions.abort(notice);
    }
}
