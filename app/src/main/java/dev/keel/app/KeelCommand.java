package dev.keel.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ScopeType;

/** The top-level {@code keel} command: its subcommands are registered here. */
@Command(name = "keel", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = KeelCommand.Version.class,
        description = "Crash-safe order execution and portfolio rebalancing.",
        subcommands = {DemoCommand.class, RebalanceCommand.class, TxCommand.class, RecoverCommand.class,
                ReconcileCommand.class, BrokerCommand.class, ConfigCommand.class, SimCommand.class,
                StatusCommand.class, AccountCommand.class, OrderCommand.class, OpsCommand.class, JournalCommand.class,
                PaperCommand.class, ServeCommand.class,
                AlertsCommand.class, RunbookCommand.class, WorkerCommand.class, EventsCommand.class, DlqCommand.class,
                ErrorsCommand.class, ChaosCommand.class,
                dev.keel.app.bench.BenchCommand.class},
        footer = {"", "Exit codes: 0 ok, 2 a mistake in the command or config (nothing done), 3 partial, 4 failed/aborted/needs "
                + "review or the journal/broker unusable, 1 a bug in Keel (details in keel-data/keel.log)."})
final class KeelCommand extends CommandGroup {

    /** The version from the jar's manifest; a build from classes has none. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = KeelCommand.class.getPackage().getImplementationVersion();
            return new String[] {"keel " + (version == null ? "(development build)" : version),
                    "Java " + Runtime.version()};
        }
    }
}
