package dev.keel.core.execution;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.MarketClock;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Position;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import dev.keel.core.time.ManualClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A broker that answers by script: each call takes the next step (answer, fail, or take time on the clock), and
 * when the script is empty does what {@link #otherwise} says. Records every call it received, with its time.
 */
final class ScriptedBroker implements Broker {
    /** One scripted answer. */
    record Step(Duration takes, RuntimeException error) {
    }

    static final Step OK = new Step(Duration.ZERO, null);

    private final ManualClock clock;
    private final Deque<Step> script = new ArrayDeque<>();
    final List<String> calls = new ArrayList<>();
    Step otherwise = OK;
    /** Runs inside every call, e.g. to call the gateway again while this call is in flight. */
    Runnable during = () -> { };

    ScriptedBroker(ManualClock clock) {
        this.clock = clock;
    }

    static BrokerException serverError() {
        return new BrokerException(ErrorCode.BROKER_SERVER_ERROR, Delivery.AMBIGUOUS, "503", 503, null, null, null,
                dev.keel.core.error.ErrorContext.NONE, null);
    }

    static BrokerException rateLimited(Duration retryAfter) {
        return new BrokerException(ErrorCode.RATE_LIMITED, Delivery.NOT_PROCESSED, "429", 429, null, retryAfter, null,
                dev.keel.core.error.ErrorContext.NONE, null);
    }

    static BrokerException rejected() {
        return BrokerException.of(ErrorCode.INSUFFICIENT_BUYING_POWER, Delivery.REFUSED, "no money");
    }

    static Step fail(RuntimeException e) {
        return new Step(Duration.ZERO, e);
    }

    static Step slow(Duration takes) {
        return new Step(takes, null);
    }

    ScriptedBroker then(Step... steps) {
        script.addAll(List.of(steps));
        return this;
    }

    ScriptedBroker then(int times, Step step) {
        for (int i = 0; i < times; i++) {
            script.add(step);
        }
        return this;
    }

    private <T> T call(String op, Supplier<T> answer) {
        calls.add(op + "@" + clock.instant());
        Step step = script.isEmpty() ? otherwise : script.poll();
        during.run();
        clock.advance(step.takes());
        if (step.error() != null) {
            throw step.error();
        }
        return answer.get();
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public AccountSnapshot account() {
        return call("account", () -> new AccountSnapshot("a", BigDecimal.TEN, BigDecimal.TEN, List.of(),
                clock.instant()));
    }

    @Override
    public List<Position> positions() {
        return call("positions", List::of);
    }

    @Override
    public List<BrokerOrder> openOrders() {
        return call("open-orders", List::of);
    }

    @Override
    public BrokerOrder submit(String clientOrderId, OrderSpec spec) {
        return call("submit", () -> null);
    }

    @Override
    public Optional<BrokerOrder> orderByClientId(String clientOrderId) {
        return call("lookup", Optional::empty);
    }

    @Override
    public BrokerOrder cancel(String brokerOrderId) {
        return call("cancel", () -> null);
    }

    @Override
    public Quote quote(Symbol symbol) {
        return call("quote", () -> null);
    }

    @Override
    public MarketClock clock() {
        return call("clock", () -> new MarketClock(clock.instant(), true, clock.instant(), clock.instant()));
    }
}
