package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keel demo --scenario alpaca} end to end through the CLI: the rebalance reaches its own paper server over
 * HTTP through the Alpaca adapter, and the output names each fault injected at the HTTP layer and how it was
 * resolved.
 */
class AlpacaDemoTest {
    @TempDir
    Path dir;

    @Test
    void theLostAnswerThe429AndTheCutStreamAreEachResolvedAndShown() throws Exception {
        Run run = Run.of("demo", "--scenario", "alpaca", "--data-dir", dir.toString(), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.get("server_url").asText()).startsWith("http://127.0.0.1:");
        assertThat(report.get("faults").toString()).contains("timeout-after-accept", "rate-limited", "stream-drop");
        JsonNode rebalance = report.get("rebalance");
        assertThat(rebalance.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(rebalance.get("recovery").toString())
                .contains("GLD").contains("outcome unknown").contains("looked up by client order id: found, adopted")
                .contains("IEF").contains("RATE_LIMITED (HTTP 429), not processed");
        JsonNode stream = report.get("stream");
        assertThat(stream.get("connections").asLong()).as("cut, then back").isGreaterThanOrEqualTo(2);
        assertThat(stream.get("backfill_updates").asInt()).as("the gap listed on reconnecting").isPositive();
        assertThat(stream.get("caught_up").asBoolean()).isTrue();
        assertThat(report.get("orders_at_server").asInt()).isEqualTo(5);
        assertThat(report.get("one_order_per_client_order_id").asBoolean()).isTrue();
        assertThat(report.get("every_order_journaled").asBoolean()).isTrue();
    }

    @Test
    void theTextTellsTheSameStory() {
        Run run = Run.of("demo", "--scenario", "alpaca", "--data-dir", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("through Keel's Alpaca adapter, over HTTP",
                "submit GLD: timeout-after-accept, once", "submit IEF: rate-limited, retry-after 2000ms, once",
                "stream (call 2): stream-drop", "looked up by client order id: found, adopted",
                "The trade_updates stream:", "(it was cut and came back)", "found by the backfill",
                "no fill lost across the disconnect", "5 orders, one per client order id, every one journaled",
                "Outcome: COMPLETED");
    }
}
