package dev.keel.app;

import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.execution.BrokerGateway;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.Position;
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
            try (KeelRuntime runtime = openRuntime()) {
                String id = runtime.accountId(account);
                T result = call.apply(runtime.gateway(id), id);
                output().result(result, human);
                return ExitCodes.OK;
            }
        }
    }

    /** {@code keel broker orders}: the broker's open orders. */
    @Command(name = "orders", description = "The broker's open orders, with each order's client order id.")
    static final class Orders extends BrokerRead {
        @Override
        public Integer call() {
            Output output = output();
            return read((g, id) -> g.read(g.broker()::openOrders), (List<BrokerOrder> orders) -> {
                if (orders.isEmpty()) {
                    output.line("No open orders.");
                    return;
                }
                Table t = new Table("ORDER ID", "CLIENT ORDER ID", "ORDER", "STATE", "FILLED", "CREATED");
                orders.forEach(o -> t.row(o.brokerOrderId(), o.clientOrderId(), o.spec().describe(), o.state().name(),
                        o.filledQuantity().stripTrailingZeros().toPlainString(), o.createdAt()));
                output.table(t);
            });
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
