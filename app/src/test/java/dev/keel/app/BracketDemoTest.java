package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order-operations demo end to end through the CLI: a bracket whose target fills has its stop cancelled by the
 * watch; an OCO pair whose legs both fill has the excess bought back and reported; nothing is left open or short.
 */
class BracketDemoTest {
    @TempDir
    Path dir;

    @Test
    void theWatchCancelsTheTwinAndFlattensTheDoubleFill() throws Exception {
        Run run = Run.of("demo", "--scenario", "bracket", "--data-dir", dir.toString(), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.out());
        List<String> steps = new ArrayList<>();
        report.get("steps").forEach(s -> steps.add(s.get("step").asText() + ": " + s.get("type").asText() + " "
                + s.get("state").asText()));
        assertThat(steps).containsExactly(
                "bracket: BRACKET_ORDER COMPLETED",
                "watch after the target filled: OCO_ENFORCEMENT COMPLETED",
                "oco: OCO_PAIR COMPLETED",
                "watch after both legs filled: OCO_ENFORCEMENT COMPLETED");
        assertThat(report.get("positions")).isEmpty();
        assertThat(Files.readString(dir.resolve("notifications.log"))).contains("OCO_DOUBLE_FILL");

        Run ops = Run.of("ops", "list", "--journal", "sqlite:" + dir.resolve("keel.db"), "--json");
        assertThat(ops.exitCode()).as(ops.err()).isZero();
        List<String> listed = new ArrayList<>();
        new ObjectMapper().readTree(ops.out()).forEach(o -> listed.add(o.get("type").asText() + " "
                + o.get("state").asText()));
        assertThat(listed).containsExactly("OCO_ENFORCEMENT COMPLETED", "OCO_PAIR COMPLETED",
                "OCO_ENFORCEMENT COMPLETED", "BRACKET_ORDER COMPLETED");
    }
}
