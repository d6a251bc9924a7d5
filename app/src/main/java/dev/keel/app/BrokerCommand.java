package dev.keel.app;

import picocli.CommandLine.Command;

/** {@code keel broker orders|positions|account}: what the broker itself says. */
@Command(name = "broker", description = "Ask the configured broker directly.",
        subcommands = {BrokerCommand.Orders.class, BrokerCommand.Positions.class, BrokerCommand.Account.class})
final class BrokerCommand extends CommandGroup {

    /** {@code keel broker orders}: the broker's open orders. */
    @Command(name = "orders", description = "The broker's open orders.")
    static final class Orders extends ConfiguredCommand {
        @Override
        public Integer call() {
            return output().notWired();
        }
    }

    /** {@code keel broker positions}: the broker's positions. */
    @Command(name = "positions", description = "The broker's positions.")
    static final class Positions extends ConfiguredCommand {
        @Override
        public Integer call() {
            return output().notWired();
        }
    }

    /** {@code keel broker account}: the broker's cash and buying power. */
    @Command(name = "account", description = "The broker's account: cash, buying power, status.")
    static final class Account extends ConfiguredCommand {
        @Override
        public Integer call() {
            return output().notWired();
        }
    }
}
