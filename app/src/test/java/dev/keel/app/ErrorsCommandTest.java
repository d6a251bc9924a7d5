package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keel errors thresholds|patterns} end to end on a SQLite journal. */
class ErrorsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void thresholdsShowTheLastWindowsErrorsAgainstTheFloorOfANewJournal() throws IOException {
        String cfg = CommandsTest.config(dir, "{ op: submit, kind: reject, reason: symbol-not-found, symbol: DBC }")
                .toString();
        Run empty = Run.of("errors", "thresholds", "--config", cfg);
        assertThat(empty.exitCode()).as(empty.err()).isZero();
        assertThat(empty.out()).contains("No errors in the last 15m.");
        Run rebalance = Run.of("rebalance", "--config", cfg);
        assertThat(rebalance.exitCode()).as(rebalance.out() + rebalance.err()).isEqualTo(ExitCodes.PARTIAL);

        Run run = Run.of("errors", "thresholds", "--config", cfg, "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = JSON.readTree(run.out());
        assertThat(report.get("window").asText()).isEqualTo("15m");
        JsonNode line = report.at("/baselines/0");
        assertThat(line.get("code").asText()).isEqualTo("SYMBOL_NOT_FOUND");
        assertThat(line.get("basis").asText()).isEqualTo("floor");
        assertThat(line.get("threshold").asInt()).isEqualTo(10);
        assertThat(line.get("exceeded").asBoolean()).isFalse();
        assertThat(report.get("queued")).isEmpty();
        Run wrong = Run.of("errors", "thresholds", "--window", "soon", "--config", cfg);
        assertThat(wrong.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(wrong.err()).contains("expected a duration like 15m, 1h or 7d, but was 'soon'");
    }

    @Test
    void patternsFindsABurstOfRejectionsAndRaisesItOnce() throws IOException {
        // every submit of DBC is refused: twelve rebalances make twelve SYMBOL_NOT_FOUND within minutes
        String cfg = CommandsTest.config(dir, "{ op: submit, kind: reject, reason: symbol-not-found, symbol: DBC }")
                .toString();
        Run none = Run.of("errors", "patterns", "--config", cfg, "--json");
        assertThat(none.exitCode()).as(none.err()).isZero();
        assertThat(JSON.readTree(none.out()).get("patterns")).isEmpty();
        for (int i = 0; i < 12; i++) {
            Run r = Run.of("rebalance", "--config", cfg);
            assertThat(r.exitCode()).as(r.out() + r.err()).isIn(ExitCodes.PARTIAL, ExitCodes.FAILED);
        }

        Run run = Run.of("errors", "patterns", "--window", "1d", "--config", cfg, "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = JSON.readTree(run.out());
        JsonNode burst = report.at("/patterns/0");
        assertThat(burst.get("kind").asText()).isEqualTo("burst");
        assertThat(burst.get("code").asText()).isEqualTo("SYMBOL_NOT_FOUND");
        assertThat(burst.get("scope").asText()).isEqualTo("main");
        assertThat(burst.has("first_at")).isTrue();
        assertThat(report.get("queued")).hasSize(1);
        Run again = Run.of("errors", "patterns", "--window", "1d", "--config", cfg);
        assertThat(again.out()).contains("BURST  Burst of ").doesNotContain("Raised");
        JsonNode alert = JSON.readTree(Run.of("alerts", "list", "--config", cfg, "--json").out()).get("alerts");
        assertThat(alert.findValuesAsText("title")).anyMatch(t -> t.startsWith("Pattern: Burst of "));
    }
}
