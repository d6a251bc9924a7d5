package dev.keel.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.rebalance.RebalanceOutcome;
import dev.keel.core.rebalance.RebalancePlan;
import dev.keel.core.risk.RiskCheck;
import dev.keel.core.risk.RiskViolation;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel rebalance}: bring an account back to its targets. */
@Command(name = "rebalance",
        description = "Rebalance an account to its target weights: sells, then buys sized on the freed cash.")
final class RebalanceCommand extends ConfiguredCommand {
    @Option(names = "--account", paramLabel = "ID", description = "The account to rebalance (default: the only one).")
    String account;

    @Option(names = "--dry-run", description = "Plan and check risk limits, but send nothing.")
    boolean dryRun;

    /** The result of a dry run. */
    record DryRun(@JsonProperty("account") String account, @JsonProperty("plan") RebalancePlan plan,
                  @JsonProperty("risk_violations") List<RiskViolation> riskViolations) {
    }

    @Override
    public Integer call() {
        Output output = output();
        try (KeelRuntime runtime = openRuntime()) {
            String id = runtime.accountId(account);
            if (dryRun) {
                RebalancePlan plan = runtime.engine().dryRun(id);
                RiskCheck risk = RiskCheck.check(plan, runtime.engine().account(id).account().risk());
                output.result(new DryRun(id, plan, risk.violations()), d -> {
                    output.line("Dry run for account " + id + " (nothing sent):");
                    plan.describe().lines().forEach(l -> output.line("  " + l));
                    output.line(risk.passed() ? "Risk limits: passed" : "Risk limits: " + risk.summary());
                });
                return risk.passed() ? ExitCodes.OK : ExitCodes.FAILED;
            }
            RebalanceOutcome outcome = runtime.engine().rebalance(id, null, RebalanceReport.progress(output));
            RebalanceReport report = RebalanceReport.of(id, outcome, runtime.journal(), runtime.config().journalUrl());
            output.result(report, r -> r.print(output));
            return ExitCodes.of(outcome.status());
        }
    }
}
