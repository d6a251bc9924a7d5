package dev.keel.app;

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

    @Override
    public Integer call() {
        return output().notWired();
    }
}
