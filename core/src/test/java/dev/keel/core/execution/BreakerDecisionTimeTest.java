package dev.keel.core.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.MarketClock;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Position;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Not an assertion on time: prints what the breaker costs per gateway call, through a CLOSED breaker (the call is
 * made) and an OPEN one (refused, counted, an exception thrown), against a broker that answers at once. Benchmark
 * code may read the system clock; the gateway runs on {@code Clock.systemUTC()} as in production.
 */
class BreakerDecisionTimeTest {
    private static final int CALLS = 1_000_000;
    private static final int WARMUP = 200_000;

    @Test
    void printsTheBreakerDecisionTimePerCall() {
        Broker instant = new InstantBroker();
        BrokerGateway closed = gateway().gateway("closed", instant, new SplittableRandom(1));
        BrokerGateway open = gateway().gateway("open", new FailingBroker(), new SplittableRandom(1));
        try {
            open.submit("x", null);
        } catch (BrokerException e) {
            // opens the breaker (failure count 1)
        }
        assertThat(open.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);

        long direct = perCall(() -> instant.submit("x", null));
        long viaClosed = perCall(() -> closed.submit("x", null));
        long viaOpen = perCall(() -> {
            try {
                open.submit("x", null);
            } catch (BrokerException e) {
                // refused without a call
            }
        });
        Object[] sink = new Object[1];
        long exception = perCall(() -> sink[0] = BrokerResilience.refusal(dev.keel.core.error.ErrorCode
                .BROKER_UNAVAILABLE, "open", "circuit breaker 'bench:open:submit' is open; the call was not sent", null));
        System.out.printf("breaker decision time per call: direct %d ns, through CLOSED %d ns (+%d), through OPEN"
                + " (refused) %d ns, of which creating the refusal's exception %d ns%n", direct, viaClosed,
                viaClosed - direct, viaOpen, exception);
    }

    private static BrokerResilience gateway() {
        ResiliencePolicies policies = ResiliencePolicies.builder()
                .breaker(BreakerPolicy.builder().failureCount(1).openFor(Duration.ofHours(1)).build()).build();
        return new BrokerResilience("bench", policies, null, new SimpleMeterRegistry(), Clock.systemUTC(),
                d -> { });
    }

    private static long perCall(Runnable call) {
        for (int i = 0; i < WARMUP; i++) {
            call.run();
        }
        long start = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
            call.run();
        }
        return (System.nanoTime() - start) / CALLS;
    }

    /** Answers every call at once. */
    private static class InstantBroker implements Broker {
        @Override
        public String name() {
            return "bench";
        }

        @Override
        public AccountSnapshot account() {
            return null;
        }

        @Override
        public List<Position> positions() {
            return List.of();
        }

        @Override
        public List<BrokerOrder> openOrders() {
            return List.of();
        }

        @Override
        public BrokerOrder submit(String clientOrderId, OrderSpec spec) {
            return null;
        }

        @Override
        public Optional<BrokerOrder> orderByClientId(String clientOrderId) {
            return Optional.empty();
        }

        @Override
        public BrokerOrder cancel(String brokerOrderId) {
            return null;
        }

        @Override
        public Quote quote(Symbol symbol) {
            return null;
        }

        @Override
        public MarketClock clock() {
            return null;
        }
    }

    /** Fails every submit as a server error would. */
    private static final class FailingBroker extends InstantBroker {
        @Override
        public BrokerOrder submit(String clientOrderId, OrderSpec spec) {
            throw ScriptedBroker.serverError();
        }
    }
}
