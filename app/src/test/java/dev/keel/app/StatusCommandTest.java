package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keel status}: healthy before anything happened; a PARTIAL rebalance makes it a WARNING with advice. */
class StatusCommandTest {
    @TempDir
    Path dir;

    @Test
    void statusFollowsTheJournalAndExitsByHealth() throws Exception {
        Path cfg = dir.resolve("keel.yaml");
        Files.writeString(cfg, """
                journal: sqlite:%1$s/keel.db
                broker:
                  kind: paper
                  paper:
                    state: %1$s/paper.db
                    positions: { VTI: 50, TLT: 10 }
                    prices: { VTI: 250.00, TLT: 90.00, IEF: 95.00, GLD: 185.00, DBC: 22.00 }
                    faults: [ { op: submit, kind: reject, reason: symbol-not-found, symbol: DBC } ]
                accounts:
                  - id: main
                    targets: { VTI: 0.30, TLT: 0.40, IEF: 0.15, GLD: 0.075, DBC: 0.075 }
                notifications: [ { kind: file, path: %1$s/notifications.log } ]
                """.formatted(dir));

        Run healthy = Run.of("status", "--config", cfg.toString());
        assertThat(healthy.exitCode()).as(healthy.out() + healthy.err()).isZero();
        assertThat(healthy.out()).contains("Keel is HEALTHY", "main", "paper", "yes");

        assertThat(Run.of("rebalance", "--config", cfg.toString()).exitCode()).isEqualTo(ExitCodes.PARTIAL);

        Run warning = Run.of("status", "--config", cfg.toString(), "--json");
        assertThat(warning.exitCode()).isEqualTo(ExitCodes.PARTIAL);
        JsonNode report = new ObjectMapper().readTree(warning.out());
        assertThat(report.get("status").asText()).isEqualTo("WARNING");
        assertThat(report.at("/findings/0/reason").asText()).contains("PARTIAL", "SYMBOL_NOT_FOUND");
        assertThat(report.at("/findings/0/recommendation").asText()).isNotBlank();
        assertThat(report.at("/metrics").get("keel.transactions{status=PARTIAL}").asDouble()).isEqualTo(1.0);
    }
}
