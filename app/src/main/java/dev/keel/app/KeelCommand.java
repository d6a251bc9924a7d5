package dev.keel.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ScopeType;

/** The top-level {@code keel} command: its subcommands are registered here. */
@Command(subcommands = {DemoCommand.class, RebalanceCommand.class, TxCommand.class, RecoverCommand.class,
                ReconcileCommand.class, BrokerCommand.class, ConfigCommand.class, SimCommand.class,
                StatusCommand.class, AccountCommand.class, OrderCommand.class, OpsCommand.class, JournalCommand.class,
                PaperCommand.class, ServeCommand.class,
                AlertsCommand.class, RunbookCommand.class, WorkerCommand.class, EventsCommand.class, DlqCommand.class,
                ErrorsCommand.class, ChaosCommand.class,
                dev.keel.app.bench.BenchCommand.class})
final class KeelCommand extends KeelRoot {

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
