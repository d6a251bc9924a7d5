package dev.keel.core.execution;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.journal.CallsRefused;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.time.Sleeper;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Every call of one account to one broker goes through here: the endpoint's circuit breaker, then the broker's rate
 * limiter and bulkheads; retries with backoff, within the broker's retry budget, on reads only. Writes (submit,
 * cancel) are single attempts; whether to repeat one is the executor's decision (law 3), which asks
 * {@link #retryPolicy} and {@link #tryRetry} first. With a backup connection an endpoint fails over when its
 * primary breaker opens, and fails back when the primary answers a health probe ({@code clock()}) after the open
 * period. Build one with {@link BrokerResilience#gateway}.
 */
public final class BrokerGateway {
    private static final Endpoint[] ENDPOINTS = Endpoint.values();

    private final Broker broker;
    private final Broker primary;
    private final FailoverBroker failover;
    private final String accountId;
    private final BrokerResilience resilience;
    private final EndpointBreaker[] primaryBreakers;
    private final EndpointBreaker[] backupBreakers;
    private final Bulkhead accountBulkhead;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    /**
     * A gateway with one breaker for every endpoint and one retry policy for reads, submits and lookups; no retry
     * budget, rate limit, bulkhead or failover. For tests and code that predates {@link BrokerResilience}.
     */
    public BrokerGateway(Broker broker, CircuitBreaker breaker, RetryPolicy readRetry, Sleeper sleeper,
                         RandomGenerator random) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.primary = broker;
        this.failover = null;
        this.accountId = null;
        this.clock = breaker.getCircuitBreakerConfig().getClock();
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
        this.resilience = BrokerResilience.bare(broker.name(), Objects.requireNonNull(readRetry, "readRetry"), clock,
                sleeper);
        EndpointBreaker only = new EndpointBreaker(breaker, null, null, Endpoint.READS, "primary", null);
        this.primaryBreakers = new EndpointBreaker[ENDPOINTS.length];
        java.util.Arrays.fill(primaryBreakers, only);
        this.backupBreakers = null;
        this.accountBulkhead = null;
    }

    BrokerGateway(BrokerResilience resilience, String accountId, Broker primary, Broker backup,
                  RandomGenerator random) {
        this.resilience = resilience;
        this.accountId = Objects.requireNonNull(accountId, "accountId");
        this.primary = Objects.requireNonNull(primary, "primary");
        this.failover = backup == null ? null : new FailoverBroker(primary, backup);
        this.broker = failover == null ? primary : failover;
        this.clock = resilience.clock();
        this.sleeper = resilience.sleeper();
        this.random = Objects.requireNonNull(random, "random");
        this.primaryBreakers = breakers(FailoverBroker.Side.PRIMARY);
        this.backupBreakers = failover == null ? null : breakers(FailoverBroker.Side.BACKUP);
        this.accountBulkhead = resilience.accountBulkhead(accountId);
    }

    private EndpointBreaker[] breakers(FailoverBroker.Side side) {
        EndpointBreaker[] breakers = new EndpointBreaker[ENDPOINTS.length];
        for (Endpoint e : ENDPOINTS) {
            BreakerPolicy policy = resilience.policies().breaker(e);
            String name = resilience.name() + ":" + accountId + ":" + e.wire()
                    + (side == FailoverBroker.Side.BACKUP ? "@backup" : "");
            breakers[e.ordinal()] = new EndpointBreaker(policy.create(name, clock), policy, accountId, e, side.wire(),
                    resilience.events());
        }
        return breakers;
    }

    /** The broker this gateway calls: with a backup, a {@link FailoverBroker} that follows the active connection. */
    public Broker broker() {
        return broker;
    }

    /** Whether the broker holds OCO pairs and brackets itself; when false Keel emulates them. */
    public boolean holdsOrderClasses() {
        return broker.holdsOrderClasses();
    }

    /** The account this gateway serves; null for a gateway built from a single breaker. */
    public String accountId() {
        return accountId;
    }

    /** The breaker that decides whether an order may be placed now: {@link #breaker(Endpoint)} of SUBMIT. */
    public CircuitBreaker breaker() {
        return breaker(Endpoint.SUBMIT);
    }

    /**
     * The breaker a call to {@code endpoint} would meet now (the backup's once the endpoint failed over), its state
     * brought up to date: an open breaker whose open period has passed reads HALF_OPEN.
     */
    public CircuitBreaker breaker(Endpoint endpoint) {
        try {
            FailoverBroker.Side side = route(endpoint, false);
            EndpointBreaker b = breakerOf(side, endpoint);
            b.state();
            return b.circuitBreaker();
        } finally {
            resilience.events().drain();
        }
    }

    /** The connection {@code endpoint}'s calls go to now. */
    public FailoverBroker.Side active(Endpoint endpoint) {
        return failover == null ? FailoverBroker.Side.PRIMARY : failover.active(endpoint);
    }

    /** The retry policy of {@code endpoint}. */
    public RetryPolicy retryPolicy(Endpoint endpoint) {
        return resilience.policies().retry(endpoint);
    }

    /**
     * Asks the broker's retry budget for one more attempt of a call to {@code endpoint}. False means the call must
     * fail with its own error; the refusal is counted and journaled.
     */
    public boolean tryRetry(Endpoint endpoint) {
        try {
            return resilience.tryRetry(accountId, endpoint);
        } finally {
            resilience.events().drain();
        }
    }

    /**
     * Health probes: every endpoint running on the backup whose primary breaker has waited out its open period
     * sends {@code clock()} to the primary, and moves back when the primary's breaker closes. Calls do this
     * themselves; a scheduler may call it between them.
     */
    public void probe() {
        if (failover == null) {
            return;
        }
        try {
            for (Endpoint e : ENDPOINTS) {
                if (failover.active(e) == FailoverBroker.Side.BACKUP) {
                    giveBack(e);
                }
            }
        } finally {
            resilience.events().drain();
        }
    }

    /**
     * A read (account, positions, quote, clock, open orders), retried with backoff while the error is retryable,
     * the retry policy allows another attempt and the retry budget has room. A call an open breaker refused is not
     * retried: nothing was sent, and nothing would be until the breaker half-opens.
     */
    public <T> T read(Supplier<T> call) {
        RetryPolicy policy = retryPolicy(Endpoint.READS);
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                return call(Endpoint.READS, side -> failover == null ? call.get() : failover.pinned(side, call));
            } catch (BrokerException e) {
                if (!e.code().retryable() || attempt >= policy.maxAttempts() || refusedByBreaker(e)
                        || !tryRetry(Endpoint.READS)) {
                    throw e;
                }
                sleeper.sleep(policy.delay(attempt, e.retryAfter(), random));
            }
        }
    }

    /** One submit through the breaker. */
    public BrokerOrder submit(String clientOrderId, OrderSpec spec) {
        return submit(clientOrderId, spec, null);
    }

    /**
     * One submit through the breaker, with a last check run after every wait of the way (the rate limiter's, a
     * broker's pause) and right before the order goes on the wire: what it throws stops the submit with nothing
     * sent, the breaker's and the bulkheads' permits given back. Law 9's trading-state check is this check, so a
     * halt journaled while the submit waited for a permit stops it.
     *
     * @param lastCheck run just before sending; null for none
     */
    public BrokerOrder submit(String clientOrderId, OrderSpec spec, Runnable lastCheck) {
        return call(Endpoint.SUBMIT, side -> connection(side).submit(clientOrderId, spec), lastCheck);
    }

    /** One OCO submit through the order-placement guards; legs named by {@link Broker}'s suffix convention. */
    public BrokerOrder submitOco(String clientOrderId, OrderSpec takeProfitLimit, OrderSpec stopLoss) {
        return call(Endpoint.SUBMIT, side -> connection(side).submitOco(clientOrderId, takeProfitLimit, stopLoss));
    }

    /** One bracket submit through the order-placement guards; legs named by {@link Broker}'s suffix convention. */
    public BrokerOrder submitBracket(String clientOrderId, OrderSpec entry, java.math.BigDecimal takeProfitLimit,
                                     java.math.BigDecimal stopLossStop, java.math.BigDecimal stopLossLimit) {
        return call(Endpoint.SUBMIT, side -> connection(side).submitBracket(clientOrderId, entry, takeProfitLimit,
                stopLossStop, stopLossLimit));
    }

    /** One lookup through the breaker; empty only when the broker answered "not found". */
    public Optional<BrokerOrder> lookup(String clientOrderId) {
        return call(Endpoint.LOOKUP, side -> connection(side).orderByClientId(clientOrderId));
    }

    /** One cancel request through the breaker. */
    public BrokerOrder cancel(String brokerOrderId) {
        return call(Endpoint.CANCEL, side -> connection(side).cancel(brokerOrderId));
    }

    /**
     * Whether {@code e} is an open breaker's refusal: nothing was sent. Its {@link BrokerException#retryAfter()} is
     * what is left of the breaker's open period, when known: the broker is not asked again before that.
     */
    public static boolean refusedByBreaker(BrokerException e) {
        return e.code() == ErrorCode.BROKER_UNAVAILABLE && e.delivery() == Delivery.NOT_PROCESSED;
    }

    private Broker connection(FailoverBroker.Side side) {
        return failover == null ? primary : failover.connection(side);
    }

    private <T> T call(Endpoint endpoint, Function<FailoverBroker.Side, T> op) {
        return call(endpoint, op, null);
    }

    private <T> T call(Endpoint endpoint, Function<FailoverBroker.Side, T> op, Runnable lastCheck) {
        try {
            return attempt(endpoint, op, lastCheck);
        } finally {
            resilience.events().drain();
        }
    }

    private <T> T attempt(Endpoint endpoint, Function<FailoverBroker.Side, T> op, Runnable lastCheck) {
        FailoverBroker.Side side = route(endpoint, true);
        EndpointBreaker breaker = breakerOf(side, endpoint);
        if (!breaker.tryAcquire()) {
            if (side == FailoverBroker.Side.PRIMARY && failover != null) {
                side = switchTo(endpoint, FailoverBroker.Side.BACKUP, "primary breaker is open");
                breaker = breakerOf(side, endpoint);
            }
            if (side == FailoverBroker.Side.PRIMARY || !breaker.tryAcquire()) {
                resilience.events().refused(accountId, endpoint, CallsRefused.Reason.BREAKER_OPEN);
                // Retry-After is what is left of the open period: a call repeated sooner would be refused again.
                throw BrokerResilience.refusal(ErrorCode.BROKER_UNAVAILABLE, accountId, "circuit breaker '"
                        + breaker.circuitBreaker().getName() + "' is open; the call was not sent",
                        breaker.untilHalfOpen());
            }
        }
        try {
            resilience.admit(accountId, endpoint, accountBulkhead);
        } catch (RuntimeException refused) {
            breaker.release();
            throw refused;
        }
        if (lastCheck != null) {
            try {
                lastCheck.run();
            } catch (RuntimeException notSent) {
                breaker.release();
                resilience.done(accountBulkhead);
                throw notSent;
            }
        }
        long start = nanos();
        try {
            T result = op.apply(side);
            breaker.onResult(nanos() - start, null);
            return result;
        } catch (Throwable t) {
            breaker.onResult(nanos() - start, t);
            if (t instanceof BrokerException b && b.code() == ErrorCode.RATE_LIMITED) {
                resilience.rateLimited(accountId, b);
            }
            throw t;
        } finally {
            resilience.done(accountBulkhead);
            if (side == FailoverBroker.Side.PRIMARY && failover != null && breaker.isOpen()) {
                switchTo(endpoint, FailoverBroker.Side.BACKUP, "primary breaker opened");
            }
        }
    }

    /** The side a call to {@code endpoint} goes to; with {@code probe}, first tries to give a backup back. */
    private FailoverBroker.Side route(Endpoint endpoint, boolean probe) {
        if (failover == null) {
            return FailoverBroker.Side.PRIMARY;
        }
        if (failover.active(endpoint) == FailoverBroker.Side.BACKUP) {
            if (probe) {
                giveBack(endpoint);
            } else if (primaryBreakers[endpoint.ordinal()].state() == CircuitBreaker.State.CLOSED) {
                switchTo(endpoint, FailoverBroker.Side.PRIMARY, "primary breaker closed");
            }
        } else if (primaryBreakers[endpoint.ordinal()].isOpen()) {
            switchTo(endpoint, FailoverBroker.Side.BACKUP, "primary breaker is open");
        }
        return failover.active(endpoint);
    }

    /** Probes the primary of {@code endpoint} when its breaker lets a trial call through; moves back once closed. */
    private void giveBack(Endpoint endpoint) {
        EndpointBreaker breaker = primaryBreakers[endpoint.ordinal()];
        CircuitBreaker.State state = breaker.state();
        if (state == CircuitBreaker.State.HALF_OPEN && breaker.tryAcquire()) {
            if (!resilience.admitProbe(accountId)) {
                breaker.release();
                return;
            }
            long start = nanos();
            try {
                failover.primary().clock();
                breaker.onResult(nanos() - start, null);
            } catch (RuntimeException e) {
                breaker.onResult(nanos() - start, e);
            }
            state = breaker.state();
        }
        if (state == CircuitBreaker.State.CLOSED) {
            switchTo(endpoint, FailoverBroker.Side.PRIMARY, "primary answered its health probe");
        }
    }

    private FailoverBroker.Side switchTo(Endpoint endpoint, FailoverBroker.Side to, String reason) {
        if (failover.activate(endpoint, to)) {
            FailoverBroker.Side from = to == FailoverBroker.Side.PRIMARY ? FailoverBroker.Side.BACKUP
                    : FailoverBroker.Side.PRIMARY;
            resilience.events().switched(accountId, endpoint, from.wire(), to.wire(), reason);
        }
        return to;
    }

    private EndpointBreaker breakerOf(FailoverBroker.Side side, Endpoint endpoint) {
        return (side == FailoverBroker.Side.PRIMARY ? primaryBreakers : backupBreakers)[endpoint.ordinal()];
    }

    private long nanos() {
        Instant t = clock.instant();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
