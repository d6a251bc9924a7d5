package dev.keel.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel tx list|show}: the transaction log. */
@Command(name = "tx", description = "Read the transaction log.", subcommands = {TxCommand.ListTransactions.class, TxCommand.ShowTransaction.class})
final class TxCommand extends CommandGroup {

    /** {@code keel tx list}: the latest transactions, newest first. */
    @Command(name = "list", description = "List the latest transactions, newest first.")
    static final class ListTransactions extends ConfiguredCommand {
        @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
                description = "How many transactions to show (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            return output().notWired();
        }
    }

    /** {@code keel tx show ID}: one transaction with its orders and reconciliation notes. */
    @Command(name = "show", description = "Show one transaction: its orders, status and reconciliation notes.")
    static final class ShowTransaction extends ConfiguredCommand {
        @Parameters(paramLabel = "ID", description = "The transaction id.")
        String id;

        @Override
        public Integer call() {
            return output().notWired();
        }
    }
}
