package dev.keel.app;

import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.execution.BrokerGateway;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TimeInForce;
import dev.keel.core.ops.OperationOutcome;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code keel order bracket|oco|close|cancel-all|modify}: the order operations, each a saga in the journal. */
@Command(name = "order", description = "Run an order operation (bracket, OCO pair, close, cancel-all, modify): "
        + "journaled step by step, so a crash at any point is resumed by 'keel recover'.",
        subcommands = {OrderCommand.Bracket.class, OrderCommand.Oco.class, OrderCommand.Close.class,
                OrderCommand.CancelAll.class, OrderCommand.Modify.class})
final class OrderCommand extends CommandGroup {

    /** A command that runs one order operation and prints its {@link OperationReport}. */
    abstract static class OperationRunner extends ConfiguredCommand {
        /** Runs {@code type} on {@code account} (null: the only one); the exit code follows the state it ended in. */
        int operate(String account, OperationType type, OperationParams params) {
            try (KeelRuntime runtime = openRuntime()) {
                return operate(runtime, account, type, params);
            }
        }

        int operate(KeelRuntime runtime, String account, OperationType type, OperationParams params) {
            Output output = output();
            // A refusal before anything is sent (INVALID_ORDER, an unknown account) reaches Main, which exits 2.
            String id = runtime.accountId(account);
            OperationOutcome outcome;
            try {
                outcome = runtime.engine().operate(id, type, params, params.rollbackOf());
            } catch (KeelException e) {
                if (type != OperationType.ORDER_MODIFICATION || e.code() != ErrorCode.ORDER_NOT_FOUND) {
                    throw e;
                }
                throw notWorking(runtime, id, params.clientOrderId(), e);
            }
            OperationReport report = OperationReport.of(type, outcome, params.rollbackOf(), runtime.journal(),
                    runtime.config().journalUrl());
            output.result(report, r -> r.print(output));
            return report.exitCode();
        }
    }

    /**
     * Why a modification found no working order by that client order id, in the user's terms: the order ended (a
     * modification replaces an order by cancelling it), or the broker has never heard of it.
     */
    static KeelException notWorking(KeelRuntime runtime, String accountId, String clientOrderId, KeelException e) {
        BrokerGateway gateway = runtime.gateway(accountId);
        Optional<BrokerOrder> order = gateway.read(() -> gateway.broker().orderByClientId(clientOrderId));
        if (order.isEmpty()) {
            return new KeelException(ErrorCode.UNKNOWN_ID, "no order '" + clientOrderId + "' at the broker for account "
                    + accountId + "; 'keel broker orders' lists the working ones with their client order ids",
                    e.context(), e);
        }
        BrokerOrder o = order.get();
        return new KeelException(ErrorCode.REQUEST_REFUSED, "order " + clientOrderId + " is " + o.state()
                + " at the broker, no longer working, so there is nothing to modify (a modification replaces an order "
                + "by cancelling it; modify the replacement instead: 'keel broker orders' lists the working ones)",
                e.context(), e);
    }

    /** An order operation on {@code --account}, with its parameters checked before anything is opened. */
    abstract static class OperationCommand extends OperationRunner {
        @Option(names = "--account", paramLabel = "ID", description = "The account (default: the only one).")
        String account;

        ParameterException invalid(String option, String expected, Object was) {
            return new ParameterException(spec.commandLine(), option + ": expected " + expected + ", but was '"
                    + (was instanceof BigDecimal d ? d.toPlainString() : was) + "'");
        }

        Symbol symbol(String option, String text) {
            try {
                return Symbol.of(text);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
            }
        }

        /** {@code value} if null or above zero, else a usage error naming the option. */
        BigDecimal positive(String option, BigDecimal value) {
            if (value != null && value.signum() <= 0) {
                throw invalid(option, "a number greater than 0", value);
            }
            return value;
        }
    }

    /** The stop-loss and take-profit of a bracket or OCO: the stop below the target, both above zero. */
    abstract static class ProtectiveCommand extends OperationCommand {
        @Option(names = "--symbol", required = true, paramLabel = "SYMBOL", description = "The symbol, e.g. VTI.")
        String symbol;

        @Option(names = "--qty", required = true, paramLabel = "QTY", description = "Shares.")
        BigDecimal qty;

        @Option(names = "--stop", required = true, paramLabel = "PRICE", description = "The stop-loss trigger.")
        BigDecimal stop;

        @Option(names = "--stop-limit", paramLabel = "PRICE",
                description = "The stop-loss's limit once triggered (default: a stop-market).")
        BigDecimal stopLimit;

        @Option(names = "--target", required = true, paramLabel = "PRICE", description = "The take-profit limit.")
        BigDecimal target;

        void checkProtection() {
            positive("--qty", qty);
            positive("--stop", stop);
            positive("--stop-limit", stopLimit);
            positive("--target", target);
            if (stop.compareTo(target) >= 0) {
                throw invalid("--stop", "a price below --target " + target.toPlainString(), stop);
            }
            if (stopLimit != null && stopLimit.compareTo(target) >= 0) {
                throw invalid("--stop-limit", "a price below --target " + target.toPlainString(), stopLimit);
            }
        }
    }

    /** {@code keel order bracket}: buy, then protect what filled with a stop-loss and a take-profit. */
    @Command(name = "bracket", description = "Buy --qty shares (market, or limit at --entry-limit), then protect what "
            + "filled with a stop-loss (--stop) and a take-profit (--target), one cancelling the other.")
    static final class Bracket extends ProtectiveCommand {
        @Option(names = "--entry-limit", paramLabel = "PRICE", description = "The entry's limit (default: market).")
        BigDecimal entryLimit;

        @Option(names = "--tif", paramLabel = "day|gtc",
                description = "Time in force of the orders (default: day for the entry, gtc for the protection).")
        String tif;

        @Override
        public Integer call() {
            Symbol s = symbol("--symbol", symbol);
            checkProtection();
            positive("--entry-limit", entryLimit);
            if (entryLimit != null && (entryLimit.compareTo(stop) <= 0 || entryLimit.compareTo(target) >= 0)) {
                throw invalid("--entry-limit", "a price between --stop " + stop.toPlainString() + " and --target "
                        + target.toPlainString(), entryLimit);
            }
            OperationParams params = OperationParams.bracket(s, qty, entryLimit, stop, stopLimit, target);
            if (tif != null) {
                params = params.withTimeInForce(switch (tif.toLowerCase(Locale.ROOT)) {
                    case "day" -> TimeInForce.DAY;
                    case "gtc" -> TimeInForce.GTC;
                    default -> throw invalid("--tif", "day or gtc", tif);
                });
            }
            return operate(account, OperationType.BRACKET_ORDER, params);
        }
    }

    /** {@code keel order oco}: protect a held position with a stop-loss and a take-profit. */
    @Command(name = "oco", description = "Protect --qty held shares with a stop-loss (--stop) and a take-profit "
            + "(--target), one cancelling the other.")
    static final class Oco extends ProtectiveCommand {
        @Override
        public Integer call() {
            Symbol s = symbol("--symbol", symbol);
            checkProtection();
            return operate(account, OperationType.OCO_PAIR, OperationParams.oco(s, qty, stop, stopLimit, target));
        }
    }

    /** {@code keel order close}: cancel the symbol's open orders, then sell. */
    @Command(name = "close", description = "Cancel every open order on --symbol, then sell --qty shares (default: "
            + "everything held).")
    static final class Close extends OperationCommand {
        @Option(names = "--symbol", required = true, paramLabel = "SYMBOL", description = "The symbol, e.g. VTI.")
        String symbol;

        @Option(names = "--qty", paramLabel = "QTY", description = "Shares to sell (default: all held).")
        BigDecimal qty;

        @Override
        public Integer call() {
            Symbol s = symbol("--symbol", symbol);
            return operate(account, OperationType.POSITION_CLOSE, OperationParams.close(s, positive("--qty", qty)));
        }
    }

    /** {@code keel order cancel-all}: cancel the account's open orders. */
    @Command(name = "cancel-all", description = "Cancel every open order of the account, or only --symbol's.")
    static final class CancelAll extends OperationCommand {
        @Option(names = "--symbol", paramLabel = "SYMBOL", description = "Only this symbol's orders (default: all).")
        String symbol;

        @Override
        public Integer call() {
            Symbol s = symbol == null ? null : symbol("--symbol", symbol);
            return operate(account, OperationType.BULK_CANCEL, OperationParams.cancelAll(s));
        }
    }

    /** {@code keel order modify}: cancel/replace a working order with a new quantity or price. */
    @Command(name = "modify", description = "Change a working order's quantity or price: Keel cancels it and places "
            + "its replacement, journaling both.")
    static final class Modify extends OperationCommand {
        @Option(names = "--order", required = true, paramLabel = "CLIENT_ORDER_ID",
                description = "The working order's client order id (see 'keel broker orders').")
        String order;

        @Option(names = "--qty", paramLabel = "QTY", description = "The new total quantity.")
        BigDecimal qty;

        @Option(names = "--limit", paramLabel = "PRICE", description = "The new limit price.")
        BigDecimal limit;

        @Option(names = "--stop", paramLabel = "PRICE", description = "The new stop price.")
        BigDecimal stop;

        @Override
        public Integer call() {
            if (order.isBlank()) {
                throw invalid("--order", "a client order id", order);
            }
            if (qty == null && limit == null && stop == null) {
                throw new ParameterException(spec.commandLine(),
                        "nothing to change: give at least one of --qty, --limit, --stop");
            }
            return operate(account, OperationType.ORDER_MODIFICATION, OperationParams.modify(order.strip(),
                    positive("--qty", qty), positive("--limit", limit), positive("--stop", stop)));
        }
    }
}
