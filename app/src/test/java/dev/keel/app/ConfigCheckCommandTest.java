package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckCommandTest {
    @TempDir
    Path dir;

    Path good;
    Path bad;

    @BeforeEach
    void files() throws IOException {
        String contract;
        try (InputStream in = getClass().getResourceAsStream("config/contract.yaml")) {
            contract = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        good = Files.writeString(dir.resolve("keel.yaml"), contract);
        bad = Files.writeString(dir.resolve("bad.yaml"), contract
                .replace("latency: 20ms", "latnecy: 20ms")
                .replace("GLD: 0.075, DBC: 0.075", "GLD: 0.05, DBC: 0.05"));
    }

    @Test
    void validFileExitsZeroWithASummary() {
        Run run = Run.of("config", "check", "--config", good.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith(good + ": valid")
                .contains("journal          sqlite:")
                .contains("main     VTI 0.30, TLT 0.40, IEF 0.15, GLD 0.075, DBC 0.075   0.05      10.00         0.01")
                .contains("    1  submit  timeout-after-accept  call 2")
                .contains("    3  submit  reject                every call for DBC  symbol-not-found");
    }

    @Test
    void invalidFileExitsTwoWithEveryProblemOnStderr() {
        Run run = Run.of("config", "check", "--config", bad.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).containsExactly(
                bad + ":7: broker.paper.latnecy: unknown key; did you mean 'latency'?",
                bad + ":17: accounts[0].targets: weights must sum to 1.0, but sum to 0.95");
    }

    @Test
    void validFileAsJsonIsOneDocumentWithTheWholeConfig() throws IOException {
        Run run = Run.of("config", "check", "--config", good.toString(), "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertThat(doc.get("valid").asBoolean()).isTrue();
        assertThat(doc.get("source").asText()).isEqualTo(good.toString());
        JsonNode config = doc.get("config");
        assertThat(config.get("journal_url").asText()).startsWith("sqlite:/");
        JsonNode paper = config.get("broker").get("paper");
        assertThat(config.get("broker").get("kind").asText()).isEqualTo("paper");
        assertThat(paper.get("cash").isBigDecimal() || paper.get("cash").isNumber()).isTrue();
        assertThat(run.out()).contains("\"cash\" : 10000.00", "\"GLD\" : 0.075", "\"latency\" : \"PT0.02S\"");
        assertThat(paper.get("faults").get(0).get("kind").asText()).isEqualTo("timeout-after-accept");
        assertThat(paper.get("faults").get(2).get("reason").asText()).isEqualTo("symbol-not-found");
        assertThat(config.get("accounts").get(0).get("targets").fieldNames()).toIterable()
                .containsExactly("VTI", "TLT", "IEF", "GLD", "DBC");
        assertThat(config.get("retry").get("max_attempts").asInt()).isEqualTo(4);
        assertThat(config.get("notifications").get(1).get("path").asText()).endsWith("keel-data/notifications.log");
    }

    @Test
    void invalidFileAsJsonListsEachProblemWithLineAndPath() throws IOException {
        Run run = Run.of("config", "check", "--config", bad.toString(), "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).isEmpty();
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertThat(doc.get("valid").asBoolean()).isFalse();
        assertThat(doc.get("errors")).hasSize(2);
        JsonNode first = doc.get("errors").get(0);
        assertThat(first.get("file").asText()).isEqualTo(bad.toString());
        assertThat(first.get("line").asInt()).isEqualTo(7);
        assertThat(first.get("path").asText()).isEqualTo("broker.paper.latnecy");
        assertThat(first.get("message").asText()).isEqualTo("unknown key; did you mean 'latency'?");
    }

    @Test
    void missingFileExitsTwo() {
        Run run = Run.of("config", "check", "--config", dir.resolve("absent.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).isEqualTo(dir.resolve("absent.yaml") + ": cannot be read: no such file" + System.lineSeparator());
    }

    @Test
    void unsetChannelSecretIsAProblemAndAReadableOneNeverPrints() throws IOException {
        Path secret = Files.writeString(dir.resolve("hook.secret"), "whsec-topsecret-value");
        String base = Files.readString(good).replaceAll("(?m)^notifications:.*$", "");
        Path unset = Files.writeString(dir.resolve("unset.yaml"), base
                + "notifications: [ { kind: slack, webhook-env: KEEL_TEST_VARIABLE_NOBODY_SETS } ]\n");
        Path readable = Files.writeString(dir.resolve("readable.yaml"), base + "notifications: [ { kind: webhook, "
                + "url: \"https://hooks.example.com/k\", secret-file: " + secret + " } ]\n");

        Run missing = Run.of("config", "check", "--config", unset.toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("notifications[0].webhook-env: environment variable "
                + "KEEL_TEST_VARIABLE_NOBODY_SETS is not set; expected the Slack incoming webhook's address");

        Run ok = Run.of("config", "check", "--config", readable.toString(), "--json");
        assertThat(ok.exitCode()).as(ok.err()).isEqualTo(ExitCodes.OK);
        assertThat(ok.out() + ok.err()).doesNotContain("whsec-topsecret-value").contains("hook.secret");
    }
}
