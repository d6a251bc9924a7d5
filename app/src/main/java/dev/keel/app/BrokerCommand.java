package dev.keel.app;

import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.broker.OrderQuery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.execution.BrokerGateway;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.Position;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel broker orders|positions|account}: what the broker itself says. */
@Command(name = "broker", description = "Ask the configured broker directly.",
        subcommands = {BrokerCommand.Orders.class, BrokerCommand.Positions.class, BrokerCommand.Account.class})
final class BrokerCommand extends CommandGroup {

    /** A read of one account's broker, through its circuit breaker and read retries. */
    abstract static class BrokerRead extends ConfiguredCommand {
        @Option(names = "--account", paramLabel = "ID", description = "The account (default: the only one).")
        String account;

        <T> int read(BiFunction<BrokerGateway, String, T> call, java.util.function.Consumer<T> human) {
            try (KeelRuntime runtime = openRuntimeToRead()) {
                String id = runtime.accountId(account);
                T result = call.apply(runtime.gateway(id), id);
                output().result(result, human);
                return ExitCodes.OK;
            }
        }
    }

    /** {@code keel broker orders}: the broker's orders, open by default, as Alpaca's GET /v2/orders selects them. */
    @Command(name = "orders", description = "The broker's orders (open ones unless --status says otherwise), with each"
            + " order's client order id, oldest first.")
    static final class Orders extends BrokerRead {
        @Option(names = "--status", paramLabel = "open|closed|all", defaultValue = "open",
                description = "Which orders: open (may still fill), closed (ended) or all (default: ${DEFAULT-VALUE}).")
        String status;

        @Option(names = "--after", paramLabel = "TIME",
                description = "Only orders created after TIME: an instant (2025-03-03T15:00:00Z) or a date (2025-03-03,"
                        + " its start in UTC).")
        String after;

        @Override
        public Integer call() {
            Output output = output();
            OrderQuery query = new OrderQuery(statusOf(status), afterOf(after), OrderQuery.MAX_LIMIT);
            return read((g, id) -> g.read(() -> g.broker().orders(query)), (List<BrokerOrder> orders) -> {
                if (orders.isEmpty()) {
                    output.line(query.status() == OrderQuery.Status.OPEN && query.after() == null ? "No open orders."
                            : "No orders match.");
                    return;
                }
                Table t = new Table("ORDER ID", "CLIENT ORDER ID", "ORDER", "STATE", "FILLED", "CREATED");
                orders.forEach(o -> t.row(o.brokerOrderId(), o.clientOrderId(), o.spec().describe(), o.state().name(),
                        o.filledQuantity().stripTrailingZeros().toPlainString(), o.createdAt()));
                output.table(t);
            });
        }
    }

    /** The parsed {@code --status}; a value other than open, closed or all is the user's mistake. */
    private static OrderQuery.Status statusOf(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "open" -> OrderQuery.Status.OPEN;
            case "closed" -> OrderQuery.Status.CLOSED;
            case "all" -> OrderQuery.Status.ALL;
            default -> throw new KeelException(ErrorCode.USAGE_INVALID, "--status: expected open, closed or all, but was '"
                    + text + "'");
        };
    }

    /** The parsed {@code --after}: an ISO instant or offset time, or a date meaning its start in UTC; null if absent. */
    private static Instant afterOf(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notTime) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                throw new KeelException(ErrorCode.USAGE_INVALID, "--after: expected a time like 2025-03-03T15:00:00Z"
                        + " or a date like 2025-03-03, but was '" + text + "'");
            }
        }
    }

    /** {@code keel broker positions}: the broker's positions. */
    @Command(name = "positions", description = "The broker's positions.")
    static final class Positions extends BrokerRead {
        @Override
        public Integer call() {
            Output output = output();
            return read((g, id) -> g.read(g.broker()::positions), (List<Position> positions) -> {
                if (positions.isEmpty()) {
                    output.line("No positions.");
                    return;
                }
                Table t = new Table("SYMBOL", "QTY", "PRICE", "VALUE");
                positions.forEach(p -> t.row(p.symbol().value(), p.quantity().stripTrailingZeros().toPlainString(),
                        p.marketPrice().toPlainString(), p.marketValue().toPlainString()));
                output.table(t);
            });
        }
    }

    /** {@code keel broker account}: the broker's cash and buying power. */
    @Command(name = "account", description = "The broker's account: cash, buying power, equity.")
    static final class Account extends BrokerRead {
        @Override
        public Integer call() {
            Output output = output();
            return read((g, id) -> g.read(g.broker()::account), (AccountSnapshot a) -> {
                Table t = new Table("ACCOUNT", "CASH", "BUYING POWER", "EQUITY", "POSITIONS", "AS OF");
                t.row(a.accountId(), a.cash().toPlainString(), a.buyingPower().toPlainString(),
                        a.equity().toPlainString(), Integer.toString(a.positions().size()), a.asOf());
                output.table(t);
            });
        }
    }
}
