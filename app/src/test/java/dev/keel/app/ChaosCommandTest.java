package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keel chaos inject|verify|stop} end to end: a rehearsal injected through the gateway of the paper broker. */
class ChaosCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void submitsUnavailableForARehearsalAreClassifiedRetriedReportedAndNothingIsLost() throws IOException {
        String cfg = CommandsTest.config(dir, "").toString();
        Run inject = Run.of("chaos", "inject", "--target", "submit", "--kind", "unavailable", "--probability", "1",
                "--for", "1h", "--config", cfg, "--json");
        assertThat(inject.exitCode()).as(inject.err()).isZero();
        JsonNode session = JSON.readTree(inject.out());
        String id = session.get("session_id").asText();
        assertThat(session.get("target").asText()).isEqualTo("submit");

        Run rebalance = Run.of("rebalance", "--config", cfg);
        assertThat(rebalance.exitCode()).as(rebalance.out() + rebalance.err()).isEqualTo(ExitCodes.FAILED);

        Run verify = Run.of("chaos", "verify", id, "--config", cfg, "--json");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        JsonNode report = JSON.readTree(verify.out());
        assertThat(report.at("/errors_by_code/BROKER_UNAVAILABLE").asInt()).isPositive();
        assertThat(report.get("failed_attempts").asInt()).isPositive();
        assertThat(report.get("running").asBoolean()).isTrue();
        assertThat(report.get("nothing_lost").asBoolean()).isTrue();
        assertThat(report.get("transactions").fieldNames()).toIterable().isNotEmpty();
        assertThat(report.get("delivered_by_channel").size()).isPositive();

        Run stop = Run.of("chaos", "stop", id, "--config", cfg, "--json");
        assertThat(stop.exitCode()).as(stop.err()).isZero();
        assertThat(JSON.readTree(stop.out()).get("ended_by").asText()).isEqualTo("stopped");
        Run after = Run.of("rebalance", "--config", cfg);
        assertThat(after.exitCode()).as(after.out() + after.err()).isIn(ExitCodes.OK, ExitCodes.PARTIAL);
        Run text = Run.of("chaos", "verify", id, "--config", cfg);
        assertThat(text.out()).contains("Errors by code: {BROKER_UNAVAILABLE=", "Nothing was lost.");
    }

    @Test
    void anUnknownTargetOrKindIsAUsageErrorNamingWhatIsAllowed() throws IOException {
        String cfg = CommandsTest.config(dir, "").toString();

        Run target = Run.of("chaos", "inject", "--target", "orders", "--kind", "timeout", "--for", "5m", "--config",
                cfg);
        Run channel = Run.of("chaos", "inject", "--target", "notify:pager", "--kind", "down", "--for", "5m",
                "--config", cfg);

        assertThat(target.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(target.err()).contains("--target must be one of [submit, cancel, lookup, reads, quotes]");
        assertThat(channel.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(channel.err()).contains("--target notify:pager names no configured channel");
    }
}
