package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code keel sim} through picocli: a summary, JSON, and the replay trace of one seed. */
class SimCommandTest {
    @Test
    void runsSeedsAndSummarisesAsTextAndJson() throws Exception {
        Run text = Run.of("sim", "--seeds", "40", "--threads", "1");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("40 scenarios from seed 1", "FAULT", "TERMINAL STATE",
                "Every law held in every scenario.");
        assertThat(text.err()).contains("40/40 seeds, 0 violation(s)");

        Run json = Run.of("sim", "--seeds", "10", "--from", "100", "--json");
        JsonNode summary = new ObjectMapper().readTree(json.out());
        assertThat(summary.get("scenarios").asLong()).isEqualTo(10);
        assertThat(summary.get("first_seed").asLong()).isEqualTo(100);
        assertThat(summary.get("violations")).isEmpty();
        assertThat(json.err()).doesNotContain("seeds,");
    }

    @Test
    void traceTellsTheWholeStoryOfOneSeed() {
        Run run = Run.of("sim", "--seeds", "1", "--from", "7", "--trace");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("seed 7:", "journal 1:", "wire: ", "TransactionEnded",
                "verdict: every law holds");
    }
}
