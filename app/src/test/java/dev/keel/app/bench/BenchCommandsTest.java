package dev.keel.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs each end-to-end benchmark for real with tiny parameters, so the commands cannot rot. Asserts what they
 * did (accounts completed, transactions recovered), never how fast.
 */
class BenchCommandsTest {
    @TempDir
    Path dir;

    @Test
    void rebalanceBenchmarkRebalancesEveryAccountEachWayAndReportsEveryRun() throws Exception {
        Result r = keel("bench", "rebalance", "--accounts", "3,5", "--runs", "2", "--concurrency", "2",
                "--dir", dir.resolve("scratch").toString(), "--json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(r.out());
        assertThat(report.get("runs")).hasSize(2 * 2 * 3);
        assertThat(report.get("summary")).hasSize(2 * 3);
        report.get("runs").forEach(run -> {
            assertThat(run.get("completed").asInt()).isEqualTo(run.get("accounts").asInt());
            assertThat(run.get("orders").asInt()).isEqualTo(run.get("accounts").asInt() * Portfolio.ORDERS_PER_ACCOUNT);
        });
        assertThat(dir.resolve("scratch")).doesNotExist();
    }

    @Test
    void rebalanceBenchmarkOverAlpacaHttpRebalancesEveryAccountBesideTheInProcessBroker() throws Exception {
        Result r = keel("bench", "rebalance", "--broker", "alpaca-http", "--accounts", "3", "--runs", "1",
                "--concurrency", "2", "--dir", dir.resolve("scratch").toString(), "--json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(r.out());
        assertThat(report.get("summary")).extracting(row -> row.get("way").asText())
                .containsExactly("keel", "keel/alpaca-http");
        report.get("runs").forEach(run -> {
            assertThat(run.get("completed").asInt()).as(run.toString()).isEqualTo(3);
            assertThat(run.get("orders").asInt()).isEqualTo(3 * Portfolio.ORDERS_PER_ACCOUNT);
        });
        Result wrong = keel("bench", "rebalance", "--broker", "fix", "--accounts", "1");
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.err()).contains("--broker").contains("'fix'");
    }

    @Test
    void recoveryBenchmarkKillsAnEngineWithTransactionsInFlightAndRecoversEveryOne() throws Exception {
        Result r = keel("bench", "recovery", "--transactions", "2", "--runs", "1",
                "--dir", dir.resolve("scratch").toString(), "--json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode run = new ObjectMapper().readTree(r.out()).get("rows").get(0).get("runs").get(0);
        assertThat(run.get("recovered").asInt()).isEqualTo(2);
        assertThat(run.get("statuses").get("COMPLETED").asInt()).isEqualTo(2);
        assertThat(run.get("exit_code").asInt()).isZero();
    }

    @Test
    void apiBenchmarkServesEveryRouteAndPageWithoutErrors() throws Exception {
        Result r = keel("bench", "api", "--transactions", "50", "--rate", "100", "--seconds", "1", "--json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(r.out());
        assertThat(report.get("api")).hasSize(4);
        assertThat(report.get("pages")).hasSize(4);
        int requests = 0;
        for (JsonNode row : report.get("api")) {
            assertThat(row.get("errors").asInt()).as(row.toString()).isZero();
            requests += row.get("requests").asInt();
        }
        assertThat(requests).isEqualTo(100);
        report.get("pages").forEach(p -> assertThat(p.get("errors").asInt()).as(p.toString()).isZero());
    }

    @Test
    void workersBenchmarkOnTheInboxEndsEveryEventOnceAndMeasuresTheLease() throws Exception {
        Result r = keel("bench", "workers", "--workers", "1,2", "--events", "6", "--accounts", "3", "--source",
                "inbox", "--dir", dir.resolve("scratch").toString(), "--json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(r.out());
        assertThat(report.get("journal").asText()).isEqualTo("sqlite");
        assertThat(report.get("rows")).hasSize(2);
        assertWorkerRows(report, 6);
        assertThat(dir.resolve("scratch")).doesNotExist();
    }

    @Test
    void workersBenchmarkOnPostgresqlAndRedisCountsTheDatabaseTransactionsPerEvent() throws Exception {
        List<String> missing = ScaleOutRig.missingServices();
        if (!missing.isEmpty()) {
            String notice = "the workers benchmark over PostgreSQL and Redis needs them; not answering: " + missing;
            if ("1".equals(System.getenv("KEEL_REQUIRE_SERVICES"))
                    || "true".equalsIgnoreCase(System.getenv("KEEL_REQUIRE_SERVICES"))) {
                throw new IllegalStateException(notice + ", and KEEL_REQUIRE_SERVICES forbids skipping");
            }
            System.err.println("*** SKIPPED *** " + notice);
            Assumptions.abort(notice);
        }
        Result r = keel("bench", "workers", "--workers", "2", "--events", "4", "--accounts", "2", "--source", "redis",
                "--dir", dir.resolve("scratch").toString(), "--json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(r.out());
        assertThat(report.get("journal").asText()).isEqualTo("postgresql");
        assertWorkerRows(report, 4);
        assertThat(report.get("rows").get(0).get("db_transactions_per_event").asDouble()).isPositive();
    }

    @Test
    void workersBenchmarkRefusesAnUnknownSource() {
        Result r = keel("bench", "workers", "--source", "kafka", "--events", "1");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--source").contains("'kafka'").contains("redis or inbox");
    }

    private static void assertWorkerRows(JsonNode report, int events) {
        report.get("rows").forEach(row -> {
            assertThat(row.get("ended").asInt()).as(row.toString()).isEqualTo(events);
            assertThat(row.get("statuses").get("COMPLETED").asInt()).isEqualTo(events);
            assertThat(row.get("latency_p99_ms").asDouble()).isGreaterThanOrEqualTo(row.get("latency_p50_ms")
                    .asDouble());
            assertThat(row.get("records_per_event").asDouble()).isPositive();
            assertThat(row.get("lease_p50_ms").asDouble()).isPositive();
        });
    }

    @Test
    void hangingConfigurationMakesOnlyTheIefSubmitSlow() {
        assertThat(RecoveryConfig.yaml(2, true)).contains("faults: [ { op: submit, kind: slow, delay: 1h, symbol: IEF } ]")
                .contains("  - id: a00002\n");
        assertThat(RecoveryConfig.yaml(2, false)).contains("faults: []");
    }

    private record Result(int code, String out, String err) {
    }

    private static Result keel(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
