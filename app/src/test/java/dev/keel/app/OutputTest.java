package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.app.config.FaultSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutputTest {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    record Fill(String symbol, BigDecimal qty, BigDecimal price, Instant at, Duration took, Path log,
                FaultSettings.Kind fault) {
    }

    @Test
    void jsonModePrintsOneDocumentWithPlainNumbersAndIsoTimes() {
        Output output = Output.json(new PrintWriter(out), new PrintWriter(err));

        output.line("not in json");
        output.table(new Table("A").row("x"));
        output.progress(2).step("SELL VTI");
        output.result(new Fill("VTI", new BigDecimal("1E+1"), new BigDecimal("250.00"),
                Instant.parse("2025-01-02T15:04:05Z"), Duration.ofMillis(20), Path.of("keel-data/x.log"),
                FaultSettings.Kind.TIMEOUT_AFTER_ACCEPT), f -> {
                    throw new AssertionError("human renderer must not run in JSON mode");
                });

        assertThat(out.toString()).isEqualTo("""
                {
                  "symbol" : "VTI",
                  "qty" : 10,
                  "price" : 250.00,
                  "at" : "2025-01-02T15:04:05Z",
                  "took" : "PT0.02S",
                  "log" : "keel-data/x.log",
                  "fault" : "timeout-after-accept"
                }
                """.replace("\n", System.lineSeparator()));
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void humanModeRendersAndReportsProgressOnStderr() {
        Output output = Output.human(new PrintWriter(out), new PrintWriter(err));
        Progress progress = output.progress(3);

        progress.step("SELL VTI 21.9 @ 250.00");
        progress.step("BUY TLT 10 @ 90.00");
        output.result("done", output::line);

        assertThat(err.toString().lines()).containsExactly("[1/3] SELL VTI 21.9 @ 250.00", "[2/3] BUY TLT 10 @ 90.00");
        assertThat(out.toString().lines()).containsExactly("done");
        assertThat(progress.done()).isEqualTo(2);
    }

    @Test
    void tableRightAlignsNumericColumnsAndLeavesNoTrailingSpaces() {
        Table table = new Table("SYMBOL", "QTY", "PRICE", "NOTE")
                .row("VTI", new BigDecimal("50"), new BigDecimal("250.00"), null)
                .row("BRK.B", new BigDecimal("1.5"), new BigDecimal("1E+3"), "fractional")
                .row("GLD", null, new BigDecimal("185.5"), "");

        assertThat(table.lines()).containsExactly(
                "SYMBOL  QTY   PRICE  NOTE",
                "VTI      50  250.00",
                "BRK.B   1.5    1000  fractional",
                "GLD           185.5");
    }

    @Test
    void tableRefusesRowsOfTheWrongWidth() {
        assertThatThrownBy(() -> new Table("A", "B").row("only one"))
                .hasMessage("a row must have 2 cells, but had 1");
    }
}
