package dev.keel.core.execution;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.time.Sleeper;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Every call to one broker goes through here: the circuit breaker on all of them, retries with backoff on reads
 * only. Writes (submit, cancel) are single attempts; whether to repeat one is the executor's decision (law 3).
 */
public final class BrokerGateway {
    private final Broker broker;
    private final CircuitBreaker breaker;
    private final RetryPolicy readRetry;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    public BrokerGateway(Broker broker, CircuitBreaker breaker, RetryPolicy readRetry, Sleeper sleeper,
                         RandomGenerator random) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.readRetry = Objects.requireNonNull(readRetry, "readRetry");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
    }

    public Broker broker() {
        return broker;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /** A read (account, positions, quote, clock, open orders), retried with backoff while the error is retryable. */
    public <T> T read(Supplier<T> call) {
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                return once(call);
            } catch (BrokerException e) {
                if (!e.code().retryable() || attempt >= readRetry.maxAttempts()) {
                    throw e;
                }
                sleeper.sleep(readRetry.delay(attempt, e.retryAfter(), random));
            }
        }
    }

    /** One submit through the breaker. */
    public BrokerOrder submit(String clientOrderId, OrderSpec spec) {
        return once(() -> broker.submit(clientOrderId, spec));
    }

    /** One lookup through the breaker; empty only when the broker answered "not found". */
    public Optional<BrokerOrder> lookup(String clientOrderId) {
        return once(() -> broker.orderByClientId(clientOrderId));
    }

    /** One cancel request through the breaker. */
    public BrokerOrder cancel(String brokerOrderId) {
        return once(() -> broker.cancel(brokerOrderId));
    }

    private <T> T once(Supplier<T> call) {
        try {
            return breaker.executeSupplier(call);
        } catch (CallNotPermittedException e) {
            throw new BrokerException(ErrorCode.BROKER_UNAVAILABLE, Delivery.NOT_PROCESSED,
                    "circuit breaker '" + breaker.getName() + "' is open; the call was not sent", null, null,
                    null, null, dev.keel.core.error.ErrorContext.NONE, e);
        }
    }
}
