package dev.keel.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.app.config.KeelConfig;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.Position;
import dev.keel.core.model.Symbol;
import dev.keel.core.ops.OperationOutcome;
import dev.keel.core.ops.WatchReport;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code keel demo --scenario bracket}: order operations on a broker that cannot hold OCO pairs, so Keel links the
 * legs itself. A bracket buys VTI and protects it; the market trades through the target and the protection watch
 * cancels the stop. An OCO pair protects TLT; the market gaps through both legs before the watch runs, both fill,
 * and the watch buys the excess back and reports it.
 */
final class BracketDemo {
    private static final Symbol VTI = Symbol.of("VTI");
    private static final Symbol TLT = Symbol.of("TLT");

    private final Output output;
    private final Path dataDir;

    BracketDemo(Output output, Path dataDir) {
        this.output = output;
        this.dataDir = dataDir;
    }

    /** One step of the demo: an operation, or what a protection watch pass did. */
    record Step(@JsonProperty("step") String step, @JsonProperty("operation_id") String operationId,
                @JsonProperty("type") String type, @JsonProperty("state") String state,
                @JsonProperty("message") String message) {
    }

    /** The whole demo. */
    record Report(@JsonProperty("scenario") String scenario, @JsonProperty("steps") List<Step> steps,
                  @JsonProperty("positions") List<String> positions, @JsonProperty("data_dir") Path dataDir) {
    }

    int run(boolean json) {
        KeelConfig config = KeelConfig.bracketDemo(dataDir);
        output.line("Keel demo: order operations on a broker that cannot hold OCO pairs; Keel links the legs itself.");
        output.line("");
        List<Step> steps = new ArrayList<>();
        PrintStream console = json ? System.err : System.out;
        try (KeelRuntime runtime = KeelRuntime.open(config, console)) {
            String account = runtime.accountId(null);
            var engine = runtime.engine();

            say("1. Bracket: buy 10 VTI at market, stop 240, target 265.");
            steps.add(operation("bracket", engine.operate(account, OperationType.BRACKET_ORDER,
                    OperationParams.bracket(VTI, BigDecimal.TEN, null, new BigDecimal("240"), null,
                            new BigDecimal("265")), "demo-bracket")));

            say("2. VTI trades at 266: the take-profit fills, and the broker leaves the stop working.");
            runtime.paper().setPrice(VTI, new BigDecimal("266.00"));
            steps.addAll(watch("watch after the target filled", engine.watch(account)));

            say("3. OCO pair: protect the 10 TLT held with a stop at 85 and a target at 95.");
            steps.add(operation("oco", engine.operate(account, OperationType.OCO_PAIR,
                    OperationParams.oco(TLT, BigDecimal.TEN, new BigDecimal("85"), null, new BigDecimal("95")),
                    "demo-oco")));

            say("4. TLT spikes to 96 and then gaps down to 84 before the watch runs: both legs fill.");
            runtime.paper().setPrice(TLT, new BigDecimal("96.00"));
            runtime.paper().setPrice(TLT, new BigDecimal("84.00"));
            steps.addAll(watch("watch after both legs filled", engine.watch(account)));

            List<String> positions = runtime.paper().accountSnapshot(account).positions().stream()
                    .map(BracketDemo::describe).toList();
            output.result(new Report("bracket", steps, positions, dataDir), r -> {
                output.line("Positions at the broker now: " + (r.positions().isEmpty() ? "none"
                        : String.join(", ", r.positions())) + "; cash only, every leg accounted for.");
                output.line("");
                output.line("Look closer:  ./keel ops list --journal " + config.journalUrl());
                output.line("              ./keel ops show ID --journal " + config.journalUrl());
            });
        }
        return ExitCodes.OK;
    }

    private void say(String text) {
        output.line(text);
    }

    private Step operation(String step, OperationOutcome o) {
        Step s = new Step(step, o.txId(), o.type().name(), o.state().name(), o.message());
        output.line("   -> " + o.txId() + " " + o.type() + " " + o.state()
                + (o.message() == null ? "" : ": " + o.message()));
        output.line("");
        return s;
    }

    private List<Step> watch(String step, WatchReport report) {
        List<Step> steps = new ArrayList<>();
        report.unlinked().forEach(u -> output.line("   -> link ended: " + u));
        for (OperationOutcome o : report.enforcements()) {
            steps.add(new Step(step, o.txId(), o.type().name(), o.state().name(), o.message()));
            output.line("   -> the watch ran " + o.txId() + " " + o.type() + " " + o.state()
                    + (o.message() == null ? "" : ": " + o.message()));
            for (OperationOutcome.Line l : o.orders()) {
                output.line("      " + l.clientOrderId() + "  " + l.description() + "  "
                        + (l.outcome() != null ? l.outcome() : l.state() != null ? l.state() : "looked at"));
            }
        }
        if (report.enforcements().isEmpty()) {
            steps.add(new Step(step, null, null, null, report.unlinked().isEmpty() ? "nothing to do"
                    : String.join("; ", report.unlinked())));
        }
        output.line("");
        return steps;
    }

    private static String describe(Position p) {
        return p.quantity().stripTrailingZeros().toPlainString() + " " + p.symbol();
    }
}
