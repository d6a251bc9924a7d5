package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outage demo end to end through the CLI: breaker opens, budget caps retries, REDUCING and back, the operator
 * told. Users see the demo on real time (it waits the breaker's 3 s open period twice); the test runs it on simulated
 * time, so a slow or loaded machine cannot let the breaker's open period pass inside the first run. The same story,
 * event by event, is in the trading-state scenario tests.
 */
class OutageDemoTest {
    @TempDir
    Path dir;

    @Test
    void anOutageIsRiddenOutWithTheBreakerTheBudgetAndTradingStates() throws Exception {
        Run run = Run.of("demo", "--scenario", "outage", "--data-dir", dir.toString(), "--json", "--simulated-time");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.out());
        JsonNode runs = report.get("runs");
        assertThat(runs.get(0).get("account_state").asText()).isEqualTo("REDUCING");
        assertThat(runs.get(0).get("exchange_submits").asInt()).as("three 503s reached the exchange").isEqualTo(3);
        assertThat(runs.get(0).at("/refused_locally/breaker_open").asLong()).isPositive();
        assertThat(runs.get(0).at("/refused_locally/retry_budget").asLong()).isPositive();
        assertThat(runs.get(1).get("account_state").asText()).isEqualTo("ACTIVE");
        assertThat(runs.get(1).get("submit_breaker").asText()).isEqualTo("CLOSED");
        assertThat(runs.get(2).get("status").asText()).isEqualTo("COMPLETED");
        assertThat(report.get("events").toString()).contains("CLOSED -> OPEN", "HALF_OPEN -> CLOSED",
                "ACTIVE -> REDUCING", "REDUCING -> ACTIVE");
        assertThat(java.nio.file.Files.readString(dir.resolve("notifications.log"))).contains("REDUCING", "ACTIVE");
    }
}
