package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.app.config.ConfigLoader;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TimeInForce;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keel account status|halt|resume} end to end through picocli, on a SQLite journal and a paper exchange. */
class AccountCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String config() throws IOException {
        return CommandsTest.config(dir, "").toString();
    }

    @Test
    void haltStopsTheRebalanceAndResumeLetsItTradeAgain() throws IOException {
        String cfg = config();

        Run fresh = Run.of("account", "status", "--config", cfg, "--json");
        assertThat(fresh.exitCode()).as(fresh.err()).isZero();
        JsonNode account = JSON.readTree(fresh.out()).at("/accounts/0");
        assertThat(account.get("state").asText()).isEqualTo("ACTIVE");
        assertThat(account.at("/check/agrees").asBoolean()).isTrue();
        assertThat(account.get("last_transactions")).isEmpty();

        Run halt = Run.of("account", "halt", "--account", "main", "--reason", "broker maintenance", "--config", cfg);
        assertThat(halt.exitCode()).as(halt.err()).isZero();
        assertThat(halt.out()).contains("Account main: ACTIVE -> HALTED");

        Run status = Run.of("account", "status", "--config", cfg);
        assertThat(status.out()).contains("Account main: HALTED since ", "why:   broker maintenance (operator)",
                "rule:  nothing but cancels is sent until 'keel account resume --account main --reason TEXT'",
                "check: the broker holds what the journal says");

        Run refused = Run.of("rebalance", "--config", cfg, "--json");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.FAILED);
        JsonNode report = JSON.readTree(refused.out());
        assertThat(report.get("status").asText()).isEqualTo("ABORTED");
        assertThat(report.get("error_code").asText()).isEqualTo("ACCOUNT_HALTED");

        Run resume = Run.of("account", "resume", "--account", "main", "--reason", "maintenance over", "--config", cfg,
                "--json");
        assertThat(resume.exitCode()).as(resume.err()).isZero();
        JsonNode change = JSON.readTree(resume.out());
        assertThat(change.get("result").asText()).isEqualTo("CHANGED");
        assertThat(change.get("to").asText()).isEqualTo("ACTIVE");
        assertThat(change.at("/event/baseline/cash").decimalValue()).isEqualByComparingTo("10000.00");

        Run trades = Run.of("rebalance", "--config", cfg);
        assertThat(trades.exitCode()).as(trades.out() + trades.err()).isEqualTo(ExitCodes.OK);

        Run after = Run.of("account", "status", "--account", "main", "--config", cfg, "--json");
        JsonNode now = JSON.readTree(after.out()).at("/accounts/0");
        assertThat(now.get("state").asText()).isEqualTo("ACTIVE");
        assertThat(now.get("actor").asText()).isEqualTo("OPERATOR");
        assertThat(now.get("reason").asText()).isEqualTo("maintenance over");
        assertThat(now.get("last_transactions")).extracting(t -> t.get("status").asText())
                .containsExactly("COMPLETED", "ABORTED");
        assertThat(Files.readString(dir.resolve("notifications.log")))
                .contains("Account main HALTED (was ACTIVE)", "Account main ACTIVE (was HALTED)");
    }

    @Test
    void resumeExitsFourWhileAnOrderIsOpenAtTheBroker() throws IOException {
        String cfg = config();
        Run.of("account", "halt", "--account", "main", "--reason", "stray order", "--config", cfg);
        try (KeelRuntime runtime = KeelRuntime.open(ConfigLoader.load(Path.of(cfg)),
                new PrintStream(java.io.OutputStream.nullOutputStream()))) {
            runtime.paper().broker("main").submit("by-hand-1", OrderSpec.limit(Symbol.of("VTI"), Side.BUY,
                    BigDecimal.ONE, new BigDecimal("1.00"), TimeInForce.GTC));
        }

        Run resume = Run.of("account", "resume", "--account", "main", "--reason", "looks fine", "--config", cfg);
        Run status = Run.of("account", "status", "--config", cfg, "--json");

        assertThat(resume.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(resume.out()).contains("Account main: HALTED: not resumed: the broker holds 1 open order(s)");
        JsonNode account = JSON.readTree(status.out()).at("/accounts/0");
        assertThat(account.get("state").asText()).isEqualTo("HALTED");
        assertThat(account.at("/check/agrees").asBoolean()).isFalse();
        assertThat(account.at("/check/differences/0").asText()).contains("by-hand-1", "is not in the journal");
    }

    @Test
    void haltWithoutAReasonIsBadUsage() throws IOException {
        String cfg = config();

        Run missing = Run.of("account", "halt", "--account", "main", "--config", cfg);
        Run blank = Run.of("account", "halt", "--account", "main", "--reason", " ", "--config", cfg);

        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("Missing required option: '--reason=TEXT'");
        assertThat(blank.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(blank.err()).contains("--reason must say why, but was blank");
        assertThat(Run.of("account", "status", "--config", cfg, "--offline").out()).contains("Account main: ACTIVE");
    }
}
