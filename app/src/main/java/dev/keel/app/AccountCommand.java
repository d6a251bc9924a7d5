package dev.keel.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.account.StateChange;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.execution.BrokerGateway;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.reconcile.AccountCheck;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code keel account status|halt|resume}: accounts' trading states, ACTIVE, REDUCING or HALTED (law 9). */
@Command(name = "account", description = "See and change accounts' trading states: ACTIVE, REDUCING, HALTED.",
        subcommands = {AccountCommand.Status.class, AccountCommand.Halt.class, AccountCommand.Resume.class})
final class AccountCommand extends CommandGroup {

    /** {@code keel account status}: state, since when, why, last transactions, and a check made now. */
    @Command(name = "status", description = "Each account's trading state: since when and why, its last "
            + "transactions, and a check of the broker against the journal (nothing is journaled).")
    static final class Status extends ConfiguredCommand {
        @Option(names = "--account", paramLabel = "ID", description = "Only this account (default: every one).")
        String account;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "5",
                description = "How many recent transactions to show per account (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--offline", description = "Read the journal only; do not ask the broker.")
        boolean offline;

        /** The whole result. */
        record Report(@JsonProperty("accounts") List<AccountDocument> accounts) {
        }

        @Override
        public Integer call() {
            Output output = output();
            try (KeelRuntime runtime = openRuntimeToRead()) {
                List<String> ids = account == null ? runtime.engine().accountIds()
                        : List.of(runtime.accountId(account));
                List<AccountDocument> docs = new ArrayList<>();
                for (String id : ids) {
                    docs.add(AccountDocument.of(runtime.engine().status(id), offline ? null : check(runtime, id),
                            runtime.journal().recentTransactions(limit, id)));
                }
                output.result(new Report(docs), r -> {
                    for (int i = 0; i < r.accounts().size(); i++) {
                        if (i > 0) {
                            output.line("");
                        }
                        r.accounts().get(i).print(output);
                    }
                });
                return ExitCodes.OK;
            }
        }

        private static AccountDocument.Check check(KeelRuntime runtime, String id) {
            BrokerGateway gateway = runtime.gateway(id);
            try {
                AccountSnapshot now = gateway.read(gateway.broker()::account);
                return AccountDocument.Check.of(AccountCheck.compare(runtime.journal(), id, now,
                        gateway.read(gateway.broker()::openOrders)));
            } catch (BrokerException e) {
                return AccountDocument.Check.failed(e.code() + ": " + e.getMessage());
            }
        }
    }

    /** An operator's move: {@code --account} and {@code --reason} are required. */
    abstract static class Move extends ConfiguredCommand {
        @Option(names = "--account", paramLabel = "ID", required = true, description = "The account.")
        String account;

        @Option(names = "--reason", paramLabel = "TEXT", required = true,
                description = "Why, in a sentence: journaled with the change and sent in its notification.")
        String reason;

        abstract StateChange move(KeelRuntime runtime, String id, String reason);

        @Override
        public Integer call() {
            if (reason.isBlank()) {
                throw new ParameterException(spec.commandLine(), "--reason must say why, but was blank");
            }
            Output output = output();
            try (KeelRuntime runtime = openRuntime()) {
                StateChange change = move(runtime, runtime.accountId(account), reason);
                output.result(change, c -> {
                    output.line("Account " + c.accountId() + ": " + c.from()
                            + (c.result() == StateChange.Result.CHANGED ? " -> " + c.to() : "") + ": " + c.message());
                    if (c.result() == StateChange.Result.CHANGED) {
                        output.line("Journaled and notified; 'keel account status --account " + c.accountId()
                                + "' shows it.");
                    }
                });
                return change.result() == StateChange.Result.REFUSED ? ExitCodes.FAILED : ExitCodes.OK;
            }
        }
    }

    /** {@code keel account halt}: nothing but cancels leaves Keel for the account until it is resumed. */
    @Command(name = "halt", description = "Freeze an account: nothing but cancels is sent until it is resumed. "
            + "An operation already running is stopped at its next order.")
    static final class Halt extends Move {
        @Override
        StateChange move(KeelRuntime runtime, String id, String reason) {
            return runtime.engine().halt(id, reason);
        }
    }

    /** {@code keel account resume}: the account trades again, re-baselined on what the broker holds now. */
    @Command(name = "resume", description = "Let a HALTED or REDUCING account trade again. The account as the broker "
            + "reports it now becomes the baseline later checks compare against; refused while orders are open there.")
    static final class Resume extends Move {
        @Override
        StateChange move(KeelRuntime runtime, String id, String reason) {
            return runtime.engine().resume(id, reason);
        }
    }
}
