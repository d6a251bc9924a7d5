package dev.keel.paper;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.OrderQuery;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.MarketClock;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Position;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/** One account's {@link Broker} view of a {@link PaperExchange}, through its own plan or an endpoint's. */
final class PaperBroker implements Broker {
    private final PaperExchange exchange;
    private final String accountId;
    /** The endpoint calls go through, or null for the exchange's own connection. */
    private final PaperEndpoint via;

    PaperBroker(PaperExchange exchange, String accountId, PaperEndpoint via) {
        this.exchange = exchange;
        this.accountId = accountId;
        this.via = via;
    }

    @Override
    public String name() {
        return "paper";
    }

    @Override
    public AccountSnapshot account() {
        return exchange.account(via, accountId);
    }

    @Override
    public List<Position> positions() {
        return exchange.positions(via, accountId);
    }

    @Override
    public List<BrokerOrder> openOrders() {
        return exchange.openOrders(via, accountId);
    }

    /** Open, ended or all orders: the exchange keeps every order it ever created. */
    @Override
    public List<BrokerOrder> orders(OrderQuery query) {
        return exchange.orders(via, accountId, query);
    }

    @Override
    public BrokerOrder submit(String clientOrderId, OrderSpec spec) {
        return exchange.submit(via, accountId, clientOrderId, spec);
    }

    @Override
    public BrokerOrder submitOco(String clientOrderId, OrderSpec takeProfitLimit, OrderSpec stopLoss) {
        return exchange.submitOco(via, accountId, clientOrderId, takeProfitLimit, stopLoss);
    }

    @Override
    public boolean holdsOrderClasses() {
        return exchange.config().orderClasses();
    }

    @Override
    public BrokerOrder submitBracket(String clientOrderId, OrderSpec entry, BigDecimal takeProfitLimit,
                                     BigDecimal stopLossStop, BigDecimal stopLossLimit) {
        return exchange.submitBracket(via, accountId, clientOrderId, entry,
                new BracketExits(takeProfitLimit, stopLossStop, stopLossLimit));
    }

    @Override
    public Optional<BrokerOrder> orderByClientId(String clientOrderId) {
        return exchange.lookup(via, accountId, clientOrderId);
    }

    @Override
    public BrokerOrder cancel(String brokerOrderId) {
        return exchange.cancel(via, accountId, brokerOrderId);
    }

    @Override
    public Quote quote(Symbol symbol) {
        return exchange.quote(via, accountId, symbol);
    }

    @Override
    public MarketClock clock() {
        return exchange.clock(via, accountId);
    }

    @Override
    public String toString() {
        return "paper broker of account " + accountId + (via == null ? "" : " via " + via.name());
    }
}
