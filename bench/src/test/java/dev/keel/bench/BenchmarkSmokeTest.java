package dev.keel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark through JMH itself (generated stubs, parameters, states) for a few milliseconds with tiny
 * parameters, in this JVM, so a benchmark that no longer compiles or throws fails the build. Measures nothing.
 */
class BenchmarkSmokeTest {
    private static final List<String> BENCHMARKS = List.of(
            "ClassificationBench.httpStatus", "ClassificationBench.brokerCode", "ClassificationBench.transportTimeout",
            "ClassificationBench.classifyAndRaise", "ClassificationBench.raiseOnly",
            "GatewayBench.submitBare", "GatewayBench.submitThroughGateway", "GatewayBench.readBare",
            "GatewayBench.readThroughGateway", "PlannerBench.plan", "JournalAppendBench.oneAtATime",
            "JournalAppendBench.groupCommit", "JournalAppendBench.oneAtATimeFenced",
            "JournalAppendBench.groupCommitFenced", "ReplayBench.replayAndFold", "ReconcileBench.reconcile",
            "AlpacaHttpBench.submitInProcess", "AlpacaHttpBench.submitOverHttp", "AlpacaHttpBench.lookupInProcess",
            "AlpacaHttpBench.lookupOverHttp", "InboxBench.pushTakeAck", "InboxBench.pushTakeAckContended",
            "AlertLatencyBench.criticalToSmtp", "WatchScanBench.scanWorking",
            "EventCodecBench.encodeRebalance", "EventCodecBench.decodeRebalance", "AccountStateReadBench.status");

    @Test
    void everyBenchmarkRunsWithTinyParameters() throws RunnerException {
        String[] stores = postgresAvailable() ? new String[] {"sqlite", "postgresql"} : new String[] {"sqlite"};
        Options options = new OptionsBuilder()
                .include("dev\\.keel\\.(bench|store)\\..*") // EventCodecBench sits in the store's package
                .forks(0)
                .threads(2)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(20))
                .param("positions", "10")
                .param("orders", "50")
                .param("events", "200")
                .param("store", stores)
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();

        List<String> ran = results.stream().map(r -> shortName(r.getParams().getBenchmark())).distinct().toList();
        assertThat(ran).containsExactlyInAnyOrderElementsOf(BENCHMARKS);
        assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getSampleCount()).isPositive());
    }

    private static String shortName(String benchmark) {
        String[] parts = benchmark.split("\\.");
        return parts[parts.length - 2] + "." + parts[parts.length - 1];
    }

    /** PostgreSQL is benchmarked when it answers; CI requires it (KEEL_REQUIRE_SERVICES), so there it must. */
    private static boolean postgresAvailable() {
        String required = System.getProperty("keel.requireServices", "");
        try (Connection c = DriverManager.getConnection(System.getProperty("keel.bench.pg", BenchJournal.DEFAULT_PG))) {
            return c.isValid(5);
        } catch (SQLException e) {
            if (required.equals("1") || required.equalsIgnoreCase("true")) {
                throw new IllegalStateException("PostgreSQL is required (KEEL_REQUIRE_SERVICES) but not reachable", e);
            }
            return false;
        }
    }
}
