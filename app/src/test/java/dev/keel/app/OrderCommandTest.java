package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.core.model.Symbol;
import dev.keel.paper.PaperConfig;
import dev.keel.paper.PaperExchange;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keel order ...} end to end through picocli against a SQLite journal and the paper exchange (VTI at 250,
 * 50 VTI and 10 TLT held). Bad parameters are refused before anything opens, naming the option; the happy paths run
 * the operation sagas.
 */
class OrderCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String cfg;

    @BeforeEach
    void config() throws IOException {
        cfg = CommandsTest.config(dir, "").toString();
    }

    private Run keel(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = cfg;
        return Run.of(all);
    }

    private static void refused(Run run, String... says) {
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains(says);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void bracketWithTheStopAtOrAboveTheTargetIsRefusedNamingTheOption() {
        refused(keel("order", "bracket", "--symbol", "VTI", "--qty", "10", "--stop", "260", "--target", "260"),
                "--stop: expected a price below --target 260, but was '260'");
    }

    @Test
    void bracketEntryLimitOutsideStopAndTargetIsRefused() {
        refused(keel("order", "bracket", "--symbol", "VTI", "--qty", "10", "--entry-limit", "270", "--stop", "240",
                "--target", "260"), "--entry-limit: expected a price between --stop 240 and --target 260");
    }

    @Test
    void quantityMustBePositiveAndANumber() {
        refused(keel("order", "oco", "--symbol", "VTI", "--qty", "0", "--stop", "240", "--target", "260"),
                "--qty: expected a number greater than 0, but was '0'");
        refused(keel("order", "close", "--symbol", "VTI", "--qty", "ten"), "--qty", "ten");
    }

    @Test
    void badSymbolTimeInForceAndMissingOptionsAreUsageErrors() {
        refused(keel("order", "bracket", "--symbol", "vti", "--qty", "1", "--stop", "240", "--target", "260"),
                "--symbol: symbol must be");
        refused(keel("order", "bracket", "--symbol", "VTI", "--qty", "1", "--stop", "240", "--target", "260",
                "--tif", "ioc"), "--tif: expected day or gtc, but was 'ioc'");
        refused(keel("order", "oco", "--symbol", "VTI", "--qty", "1", "--stop", "240"), "--target");
        refused(keel("order", "modify", "--order", "x:entry"), "give at least one of --qty, --limit, --stop");
        refused(keel("order", "modify", "--qty", "3"), "--order");
    }

    @Test
    void unknownAccountIsAUsageErrorAndNothingIsSent() {
        Run run = keel("order", "cancel-all", "--account", "nobody");

        refused(run, "UNKNOWN_ID", "no account 'nobody'", "nothing was done");
    }

    @Test
    void orderWithoutASubcommandShowsItsUsage() {
        Run run = Run.of("order");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("bracket", "oco", "close", "cancel-all", "modify");
    }

    // ---- the happy paths below run the sagas (BracketSaga, OcoSaga, CloseSaga, BulkCancelSaga, ModifySaga) ----

    @Test
    void bracketCompletesThenShowsInOpsAndRollsBackOnce() throws IOException {
        Run run = keel("order", "bracket", "--symbol", "VTI", "--qty", "10", "--stop", "240", "--target", "260",
                "--json");

        JsonNode report = JSON.readTree(run.out());
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        assertThat(report.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(report.get("type").asText()).isEqualTo("BRACKET_ORDER");
        assertThat(report.get("journaled").asBoolean()).isTrue();
        String id = report.get("operation_id").asText();
        assertThat(report.get("orders")).anySatisfy(o -> {
            assertThat(o.get("client_order_id").asText()).isEqualTo(id + ":entry");
            assertThat(o.get("state").asText()).isEqualTo("FILLED");
            assertThat(o.get("filled_qty").decimalValue()).isEqualByComparingTo("10");
        });

        JsonNode shown = JSON.readTree(keel("ops", "show", id, "--json").out());
        assertThat(shown.get("links")).singleElement()
                .satisfies(l -> assertThat(l.get("link").asText()).isEqualTo("protect-1"));
        assertThat(shown.get("moves").get(0).get("to").asText()).isEqualTo("PENDING");

        Run rollback = keel("ops", "rollback", id, "--json");
        JsonNode undo = JSON.readTree(rollback.out());
        assertThat(rollback.exitCode()).as(rollback.out() + rollback.err()).isEqualTo(ExitCodes.OK);
        assertThat(undo.get("type").asText()).isEqualTo("POSITION_CLOSE");
        assertThat(undo.get("rollback_of").asText()).isEqualTo(id);
        assertThat(undo.get("state").asText()).isEqualTo("COMPLETED");

        refused(keel("ops", "rollback", id), "already rolled back by " + undo.get("operation_id").asText());
        assertThat(keel("broker", "positions").out()).containsPattern("VTI\\s+50");
    }

    @Test
    void ocoThenModifyItsTargetThenCancelAllOfTheSymbol() throws IOException {
        Run oco = keel("order", "oco", "--symbol", "VTI", "--qty", "50", "--stop", "240", "--target", "260",
                "--json");
        assertThat(oco.exitCode()).as(oco.out() + oco.err()).isEqualTo(ExitCodes.OK);
        String ocoId = JSON.readTree(oco.out()).get("operation_id").asText();

        Run modify = keel("order", "modify", "--order", ocoId + ":protect-1", "--limit", "265", "--json");
        assertThat(modify.exitCode()).as(modify.out() + modify.err()).isEqualTo(ExitCodes.OK);
        assertThat(JSON.readTree(modify.out()).get("type").asText()).isEqualTo("ORDER_MODIFICATION");

        Run cancel = keel("order", "cancel-all", "--symbol", "VTI", "--json");
        JsonNode report = JSON.readTree(cancel.out());
        assertThat(cancel.exitCode()).as(cancel.out() + cancel.err()).isEqualTo(ExitCodes.OK);
        assertThat(report.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(report.get("orders")).isNotEmpty()
                .allSatisfy(o -> assertThat(o.get("outcome").asText()).isIn("CANCELLED", "ALREADY_DONE"));
        assertThat(keel("broker", "orders").out()).contains("No open orders.");
    }

    @Test
    void closeSellsTheWholePositionAndPrintsTheReport() {
        Run run = keel("order", "close", "--symbol", "TLT");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("POSITION_CLOSE", "State    COMPLETED", "LEG", "CLIENT ORDER ID", ":close",
                "Next     done");
        assertThat(keel("broker", "positions").out()).doesNotContain("TLT");
    }

    @Test
    void watchCancelsTheTwinOfAnEmulatedPairsLegThatFilled() throws IOException {
        Path file = CommandsTest.config(dir, "");
        java.nio.file.Files.writeString(file, java.nio.file.Files.readString(file)
                .replace("    seed: 42\n", "    seed: 42\n    order-classes: false\n"));
        Run oco = keel("order", "oco", "--symbol", "VTI", "--qty", "20", "--stop", "240", "--target", "260",
                "--json");
        assertThat(oco.exitCode()).as(oco.out() + oco.err()).isEqualTo(ExitCodes.OK);
        String id = JSON.readTree(oco.out()).get("operation_id").asText();
        assertThat(keel("ops", "watch").out()).contains("main: 1 live link(s), all in order");

        // the market trades through the take-profit: the broker fills it and, holding no pair, keeps the stop working
        try (PaperExchange exchange = new PaperExchange(paperConfig(), Clock.systemUTC(), d -> { })) {
            exchange.setPrice(Symbol.of("VTI"), new BigDecimal("262.00"));
        }
        assertThat(keel("broker", "orders").out()).contains(id + ":protect-1-sl");

        Run watch = keel("ops", "watch", "--json");
        assertThat(watch.exitCode()).as(watch.out() + watch.err()).isEqualTo(ExitCodes.OK);
        JsonNode pass = JSON.readTree(watch.out()).at("/accounts/0");
        assertThat(pass.get("orders_changed").asInt()).isEqualTo(1);
        assertThat(pass.get("enforcements")).hasSize(1);
        assertThat(pass.at("/enforcements/0/state").asText()).isEqualTo("COMPLETED");
        assertThat(keel("broker", "orders").out()).contains("No open orders.");
        assertThat(keel("broker", "positions").out()).contains("VTI", "30");
        assertThat(keel("ops", "watch").out()).contains("main: nothing to watch");
    }

    private PaperConfig paperConfig() {
        return PaperConfig.builder().seed(42).startingCash(new BigDecimal("10000.00"))
                .startingPosition(Symbol.of("VTI"), new BigDecimal("50"))
                .price(Symbol.of("VTI"), new BigDecimal("250.00")).orderClasses(false)
                .stateFile(dir.resolve("paper.db")).build();
    }
}
