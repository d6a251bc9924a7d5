package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keel alerts list|ack|resolve|escalate} end to end, on a SQLite journal: an operator's halt raises one. */
class AlertsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void haltRaisesAnAlertThatIsAcknowledgedThenResolvedWithANote() throws IOException {
        String cfg = CommandsTest.config(dir, "").toString();
        Run halt = Run.of("account", "halt", "--account", "main", "--reason", "broker maintenance", "--config", cfg);
        assertThat(halt.exitCode()).as(halt.err()).isZero();

        Run list = Run.of("alerts", "list", "--config", cfg, "--json");
        assertThat(list.exitCode()).as(list.err()).isZero();
        JsonNode alert = JSON.readTree(list.out()).at("/alerts/0");
        List<String> keys = new ArrayList<>();
        alert.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).contains("id", "account_id", "severity", "status", "raised_at", "acknowledged_by", "transaction_id");
        assertThat(alert.get("severity").asText()).isEqualTo("critical");
        assertThat(alert.get("status").asText()).isEqualTo("OPEN");
        assertThat(alert.get("title").asText()).isEqualTo("Account main HALTED (was ACTIVE)");
        String id = alert.get("id").asText();

        Run ack = Run.of("alerts", "ack", id, "--by", "ana", "--config", cfg);
        assertThat(ack.exitCode()).as(ack.err()).isZero();
        assertThat(ack.out()).contains("Acknowledged by ana: " + id + "  CRITICAL  ACKNOWLEDGED");

        Run resolve = Run.of("alerts", "resolve", id, "--note", "maintenance window ended; resumed", "--config", cfg,
                "--json");
        assertThat(resolve.exitCode()).as(resolve.err()).isZero();
        assertThat(JSON.readTree(resolve.out()).get("resolution").asText())
                .isEqualTo("maintenance window ended; resumed");

        Run empty = Run.of("alerts", "list", "--config", cfg);
        assertThat(empty.out()).contains("No open alerts.");
        Run again = Run.of("alerts", "resolve", id, "--note", "x", "--config", cfg, "--json");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(JSON.readTree(again.out()).at("/error/code").asText()).isEqualTo("REQUEST_REFUSED");
        Run unknown = Run.of("alerts", "ack", "n-nope", "--config", cfg);
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void escalateWithNothingDueSaysSo() throws IOException {
        String cfg = CommandsTest.config(dir, "").toString();

        Run run = Run.of("alerts", "escalate", "--config", cfg);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Nothing to escalate.");
    }

    @Test
    void runbookShowsThePageAndTheResolutionsJournaledForTheCode() throws IOException {
        String cfg = CommandsTest.config(dir, "{ op: submit, kind: reject, reason: symbol-not-found, symbol: DBC }")
                .toString();
        Run rebalance = Run.of("rebalance", "--config", cfg);
        assertThat(rebalance.exitCode()).as(rebalance.out() + rebalance.err()).isEqualTo(ExitCodes.PARTIAL);
        JsonNode alert = JSON.readTree(Run.of("alerts", "list", "--config", cfg, "--json").out()).at("/alerts/0");
        assertThat(alert.get("code").asText()).isEqualTo("SYMBOL_NOT_FOUND");
        Run resolve = Run.of("alerts", "resolve", alert.get("id").asText(), "--note", "replaced DBC with PDBC",
                "--config", cfg);
        assertThat(resolve.exitCode()).as(resolve.err()).isZero();

        Run text = Run.of("runbook", "symbol-not-found", "--config", cfg);
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("# SYMBOL_NOT_FOUND", "## Common causes", "## Escalation",
                "## Past resolutions", "- replaced DBC with PDBC (1 time, last ");
        JsonNode json = JSON.readTree(Run.of("runbook", "SYMBOL_NOT_FOUND", "--config", cfg, "--json").out());
        assertThat(json.at("/past_resolutions/0/note").asText()).isEqualTo("replaced DBC with PDBC");
        assertThat(json.get("page").asText()).isEqualTo("docs/runbooks/symbol-not-found.md");

        Run wrong = Run.of("runbook", "SYMBOL", "--config", cfg);
        assertThat(wrong.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(wrong.err()).contains("did you mean SYMBOL_NOT_FOUND?");
    }

    @Test
    void outboxListsWhatAFailingChannelStillOwesMostSevereFirstAndKeepsIt() throws IOException {
        // the file channel's path is a folder: every write fails, as a channel that is down
        Path cfg = CommandsTest.config(dir, "");
        java.nio.file.Files.writeString(cfg, java.nio.file.Files.readString(cfg)
                .replace(dir + "/notifications.log", dir.toString()));
        Run halt = Run.of("account", "halt", "--account", "main", "--reason", "broker maintenance", "--config",
                cfg.toString());
        assertThat(halt.exitCode()).as(halt.err()).isZero();

        Run outbox = Run.of("alerts", "outbox", "--config", cfg.toString(), "--json");

        assertThat(outbox.exitCode()).as(outbox.err()).isZero();
        JsonNode report = JSON.readTree(outbox.out());
        assertThat(report.get("pending").asInt()).isEqualTo(1);
        assertThat(report.at("/by_severity/critical").asInt()).isEqualTo(1);
        JsonNode waiting = report.at("/notifications/0");
        assertThat(waiting.get("title").asText()).isEqualTo("Account main HALTED (was ACTIVE)");
        assertThat(waiting.at("/owed_to/0/failures").asInt()).isEqualTo(1);
        assertThat(waiting.at("/owed_to/0/last_error").asText()).isNotBlank();
        assertThat(waiting.has("queued_at")).isTrue();

        Run again = Run.of("alerts", "outbox", "--send", "--config", cfg.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("1 notification(s) waiting {critical=1}, most severe first:",
                "Account main HALTED (was ACTIVE)", ": 2 failure(s), last: UncheckedIOException", ", next try ");
    }
}
