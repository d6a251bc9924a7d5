package dev.keel.paper;

import dev.keel.core.broker.Broker;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.MarketClock;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Position;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import java.util.List;
import java.util.Optional;

/** One account's {@link Broker} view of a {@link PaperExchange}. */
final class PaperBroker implements Broker {
    private final PaperExchange exchange;
    private final String accountId;

    PaperBroker(PaperExchange exchange, String accountId) {
        this.exchange = exchange;
        this.accountId = accountId;
    }

    @Override
    public String name() {
        return "paper";
    }

    @Override
    public AccountSnapshot account() {
        return exchange.account(accountId);
    }

    @Override
    public List<Position> positions() {
        return exchange.positions(accountId);
    }

    @Override
    public List<BrokerOrder> openOrders() {
        return exchange.openOrders(accountId);
    }

    @Override
    public BrokerOrder submit(String clientOrderId, OrderSpec spec) {
        return exchange.submit(accountId, clientOrderId, spec);
    }

    @Override
    public Optional<BrokerOrder> orderByClientId(String clientOrderId) {
        return exchange.lookup(accountId, clientOrderId);
    }

    @Override
    public BrokerOrder cancel(String brokerOrderId) {
        return exchange.cancel(accountId, brokerOrderId);
    }

    @Override
    public Quote quote(Symbol symbol) {
        return exchange.quote(accountId, symbol);
    }

    @Override
    public MarketClock clock() {
        return exchange.clock(accountId);
    }

    @Override
    public String toString() {
        return "paper broker of account " + accountId;
    }
}
