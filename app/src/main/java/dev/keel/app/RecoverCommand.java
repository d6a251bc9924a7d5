package dev.keel.app;

import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.engine.RecoveryReport;
import dev.keel.core.model.TransactionStatus;
import picocli.CommandLine.Command;

/** {@code keel recover}: resume or close every transaction a stopped engine left in progress. */
@Command(name = "recover",
        description = "Resume or close every transaction left in progress (after a crash or kill), then deliver "
                + "pending notifications.")
final class RecoverCommand extends ConfiguredCommand {
    @Override
    public Integer call() {
        Output output = output();
        try (KeelRuntime runtime = openRuntime()) {
            RecoveryReport report = runtime.engine().recover();
            output.result(report, r -> {
                if (r.transactions().isEmpty()) {
                    output.line("Nothing to recover: no transaction was left in progress.");
                    return;
                }
                Table t = new Table("TRANSACTION", "ACCOUNT", "NOW", "NOTE");
                r.transactions().forEach(e -> t.row(e.txId(), e.accountId(), e.status().name(), e.note()));
                output.line("Recovered " + r.transactions().size() + " transaction(s) in " + r.took().toMillis()
                        + " ms:");
                output.table(t);
            });
            boolean review = report.transactions().stream()
                    .anyMatch(e -> e.status() == TransactionStatus.NEEDS_REVIEW);
            return review ? ExitCodes.FAILED : ExitCodes.OK;
        }
    }
}
