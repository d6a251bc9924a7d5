package dev.keel.app;

import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Runbook;
import dev.keel.core.error.RunbookDoc;
import dev.keel.notify.alert.AlertDesk;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/** {@code keel runbook CODE}: the code's runbook page and the resolutions operators journaled for it. */
@Command(name = "runbook", description = "What an error code means and how to handle it, with the resolutions "
        + "operators journaled for it before, most frequent first.")
final class RunbookCommand extends ConfiguredCommand {
    @Parameters(index = "0", paramLabel = "CODE", description = "An error code, e.g. BROKER_TIMEOUT (any case).")
    String code;

    /** The page and the past resolutions. */
    record Report(String code, String severity, String meaning, List<String> causes, List<String> diagnosis,
                  String resolution, String prevention, String escalation, String page,
                  List<AlertDesk.PastResolution> pastResolutions) {
    }

    @Override
    public Integer call() {
        ErrorCode errorCode = parse(code);
        Runbook runbook = Runbook.of(errorCode);
        Output output = output();
        try (KeelRuntime runtime = openRuntimeToRead()) {
            List<AlertDesk.PastResolution> past = runtime.alerts().resolutions(errorCode);
            Report report = new Report(errorCode.name(), errorCode.severity().wire(), runbook.meaning(),
                    runbook.causes(), runbook.diagnosis(), runbook.resolution(), runbook.prevention(),
                    runbook.escalation(), RunbookDoc.FOLDER + "/" + Runbook.page(errorCode), past);
            output.result(report, r -> {
                RunbookDoc.page(runbook).lines().filter(l -> !l.startsWith("<!--")).forEach(output::line);
                output.line("");
                output.line("## Past resolutions");
                output.line("");
                if (r.pastResolutions().isEmpty()) {
                    output.line("None journaled yet: 'keel alerts resolve ID --note TEXT' records one.");
                }
                r.pastResolutions().forEach(p -> output.line("- " + p.note() + " (" + p.times()
                        + (p.times() == 1 ? " time" : " times") + ", last " + p.last() + ")"));
            });
            return ExitCodes.OK;
        }
    }

    private ErrorCode parse(String text) {
        String wanted = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return ErrorCode.valueOf(wanted);
        } catch (IllegalArgumentException e) {
            List<String> names = Arrays.stream(ErrorCode.values()).map(Enum::name).toList();
            String near = names.stream().filter(n -> n.contains(wanted) || wanted.contains(n)).findFirst()
                    .map(n -> "; did you mean " + n + "?").orElse("; 'docs/runbooks/README.md' lists them");
            throw new ParameterException(spec.commandLine(), "CODE must be an error code such as BROKER_TIMEOUT, "
                    + "but was '" + text + "'" + near);
        }
    }
}
