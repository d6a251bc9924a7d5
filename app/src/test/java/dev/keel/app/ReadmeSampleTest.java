package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's sample {@code keel.yaml} does what the README says it does. */
class ReadmeSampleTest {
    @TempDir
    Path dir;

    /** The repository root: the nearest folder above the working directory that holds README.md and mvnw. */
    static Path repositoryRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("README.md")) && Files.isRegularFile(d.resolve("mvnw"))) {
                return d;
            }
        }
        throw new IllegalStateException("no folder holding README.md and mvnw above " + Path.of("").toAbsolutePath());
    }

    /** The first {@code ```yaml} block of the README, its keel-data/ paths moved into {@code into}. */
    static String sampleConfig(Path into) throws IOException {
        String readme = Files.readString(repositoryRoot().resolve("README.md"));
        int start = readme.indexOf("```yaml\n") + "```yaml\n".length();
        String yaml = readme.substring(start, readme.indexOf("```", start));
        return yaml.replace("keel-data/", into.toString() + "/");
    }

    @Test
    void sampleConfigRejectsDbcAndFindsTheLostAnswerAsTheReadmeSays() throws IOException {
        Path cfg = Files.writeString(dir.resolve("keel.yaml"), sampleConfig(dir));

        Run run = Run.of("rebalance", "--config", cfg.toString(), "--json");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.PARTIAL);
        JsonNode report = new ObjectMapper().readTree(run.out());
        JsonNode dbc = null;
        for (JsonNode o : report.get("executed_orders")) {
            if (o.get("ticker").asText().equals("DBC")) {
                dbc = o;
            }
        }
        assertThat(dbc).isNotNull();
        assertThat(dbc.get("error_code").asText()).isEqualTo("SYMBOL_NOT_FOUND");
        assertThat(run.out()).as("an order whose answer was lost is found, not placed twice")
                .contains("BROKER_TIMEOUT");
    }
}
