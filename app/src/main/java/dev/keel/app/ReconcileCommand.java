package dev.keel.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.engine.RecoveryReport;
import dev.keel.core.reconcile.AccountCheck;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code keel reconcile}: brings every transaction left in progress to a terminal state, then compares what the
 * broker holds with what the journal knows: positions, and every open order (law 1, law 9).
 */
@Command(name = "reconcile",
        description = "Recover open transactions, then check the broker's positions and open orders against the journal.")
final class ReconcileCommand extends ConfiguredCommand {

    /** The whole result. */
    record Report(@JsonProperty("recovered") RecoveryReport recovered,
                  @JsonProperty("accounts") List<AccountCheck> accounts, @JsonProperty("consistent") boolean consistent) {
    }

    @Override
    public Integer call() {
        Output output = output();
        try (KeelRuntime runtime = openRuntime()) {
            RecoveryReport recovered = runtime.engine().recover();
            List<AccountCheck> accounts = new ArrayList<>();
            for (String id : runtime.engine().accountIds()) {
                accounts.add(runtime.engine().reconcile(id));
            }
            boolean consistent = accounts.stream().allMatch(AccountCheck::agrees);
            Report report = new Report(recovered, accounts, consistent);
            output.result(report, r -> print(output, r));
            return consistent ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    private static void print(Output output, Report r) {
        output.line(r.recovered().transactions().isEmpty() ? "No transaction was left in progress."
                : "Recovered " + r.recovered().transactions().size() + " transaction(s).");
        Table t = new Table("ACCOUNT", "COMPARED WITH", "RESULT");
        for (AccountCheck a : r.accounts()) {
            t.row(a.accountId(), a.baseline() == null ? "-" : a.baseline(),
                    a.agrees() ? "agrees" : a.differences().size() + " difference(s)");
        }
        output.table(t);
        for (AccountCheck a : r.accounts()) {
            a.differences().forEach(d -> output.line("DIFFERENCE " + a.accountId() + ": " + d));
        }
        output.line(r.consistent() ? "Consistent: the broker holds what the journal says."
                : "INCONSISTENT: the accounts above are marked NEEDS_REVIEW and HALTED; review them, then "
                + "'keel account resume --account ID --reason TEXT'.");
    }
}
