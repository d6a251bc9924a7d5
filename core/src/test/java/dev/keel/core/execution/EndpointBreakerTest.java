package dev.keel.core.execution;

import static dev.keel.core.execution.ScriptedBroker.OK;
import static dev.keel.core.execution.ScriptedBroker.fail;
import static dev.keel.core.execution.ScriptedBroker.rejected;
import static dev.keel.core.execution.ScriptedBroker.serverError;
import static dev.keel.core.execution.ScriptedBroker.slow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.journal.BreakerTransitioned;
import dev.keel.core.journal.JournalRecord;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EndpointBreakerTest {
    private static final Duration OPEN_FOR = Duration.ofSeconds(30);

    private static BreakerPolicy.Builder policy() {
        return BreakerPolicy.builder().failureRate(50).window(10).minimumCalls(4).openFor(OPEN_FOR).halfOpenCalls(3);
    }

    /** Sends {@code n} submits, swallowing broker errors; returns how many were refused without being sent. */
    private static int submit(BrokerGateway gateway, int n) {
        int refused = 0;
        for (int i = 0; i < n; i++) {
            try {
                gateway.submit("c-" + i, null);
            } catch (BrokerException e) {
                if (BrokerGateway.refusedByBreaker(e)) {
                    refused++;
                }
            }
        }
        return refused;
    }

    @Test
    void closedOpensWhenTheFailureRateOverTheMinimumCallsReachesTheThreshold() {
        Rig rig = Rig.breaker(policy().build());
        ScriptedBroker broker = new ScriptedBroker(rig.clock).then(OK, fail(serverError()), OK);
        broker.otherwise = fail(serverError());
        BrokerGateway gateway = rig.gateway("main", broker);

        assertThat(submit(gateway, 3)).isZero();
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED); // 3 calls: not judged yet
        assertThat(submit(gateway, 1)).isZero();

        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(rig.events()).containsExactly("submit CLOSED->OPEN failure-rate");
        BreakerTransitioned opened = (BreakerTransitioned) rig.journal.all().getFirst().event();
        assertThat(opened.failureRate()).isEqualTo(50.0);
        assertThat(opened.streamId()).isEqualTo("broker:paper");
        assertThatThrownBy(() -> gateway.submit("c-9", null)).isInstanceOfSatisfying(BrokerException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BROKER_UNAVAILABLE);
            assertThat(e.delivery()).isEqualTo(Delivery.NOT_PROCESSED);
        });
        assertThat(broker.calls).hasSize(4);
    }

    @Test
    void consecutiveFailuresOpenTheBreakerBeforeTheRateIsJudged() {
        Rig rig = Rig.breaker(policy().minimumCalls(10).failureCount(3).build());
        ScriptedBroker broker = new ScriptedBroker(rig.clock)
                .then(fail(serverError()), fail(serverError()), OK, fail(serverError()), fail(serverError()));
        broker.otherwise = fail(serverError());
        BrokerGateway gateway = rig.gateway("main", broker);

        submit(gateway, 5);
        assertThat(gateway.breaker().getState()).as("a success in between restarts the count")
                .isEqualTo(CircuitBreaker.State.CLOSED);
        submit(gateway, 1);

        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(rig.events()).containsExactly("submit CLOSED->OPEN failure-count (3 consecutive failures)");
    }

    @Test
    void openHalfOpensAfterOpenForAndClosesOnceTheSuccessThresholdIsMet() {
        Rig rig = Rig.breaker(policy().successThreshold(2).build());
        ScriptedBroker broker = new ScriptedBroker(rig.clock).then(4, fail(serverError()));
        BrokerGateway gateway = rig.gateway("main", broker);
        submit(gateway, 4);

        rig.clock.advance(OPEN_FOR);
        assertThat(submit(gateway, 5)).as("still open at exactly open-for").isEqualTo(5);
        rig.clock.advance(Duration.ofMillis(1));
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(submit(gateway, 1)).isZero();
        assertThat(gateway.breaker().getState()).as("one of two successes").isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(submit(gateway, 1)).isZero();

        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(rig.events()).containsExactly(
                "submit CLOSED->OPEN failure-rate",
                "submit refused 1 BREAKER_OPEN",
                "submit refused 4 BREAKER_OPEN",
                "submit OPEN->HALF_OPEN open-for elapsed",
                "submit HALF_OPEN->CLOSED success-threshold (2 of 3 trial calls succeeded)");
        assertThat(rig.counter("keel.broker.calls.refused", "reason", "breaker_open")).isEqualTo(5.0);
    }

    @Test
    void aFailedTrialCallReopensWhenTheSuccessThresholdCanNoLongerBeMet() {
        Rig rig = Rig.breaker(policy().halfOpenCalls(3).successThreshold(3).build());
        ScriptedBroker broker = new ScriptedBroker(rig.clock).then(4, fail(serverError())).then(OK, fail(serverError()));
        BrokerGateway gateway = rig.gateway("main", broker);
        submit(gateway, 4);
        rig.clock.advance(OPEN_FOR.plusMillis(1));

        submit(gateway, 2);

        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(rig.events()).containsExactly(
                "submit CLOSED->OPEN failure-rate",
                "submit OPEN->HALF_OPEN open-for elapsed",
                "submit HALF_OPEN->OPEN trial calls failed (1 of 3, the last one an error)");
    }

    @Test
    void slowCallsOpenTheBreakerByTheirRateMeasuredOnTheInjectedClock() {
        Rig rig = Rig.breaker(policy().failureRate(100).slowCallRate(50).slowCallDuration(Duration.ofSeconds(2))
                .build());
        ScriptedBroker broker = new ScriptedBroker(rig.clock)
                .then(OK, slow(Duration.ofSeconds(3)), OK, slow(Duration.ofSeconds(5)));
        BrokerGateway gateway = rig.gateway("main", broker);

        submit(gateway, 4);

        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(rig.events()).containsExactly("submit CLOSED->OPEN slow-call-rate");
        BreakerTransitioned opened = (BreakerTransitioned) rig.journal.all().getFirst().event();
        assertThat(opened.slowCallRate()).isEqualTo(50.0);
        assertThat(opened.failureRate()).isZero();
    }

    @Test
    void aSlowTrialCallCountsAgainstTheSuccessThreshold() {
        Rig rig = Rig.breaker(policy().successThreshold(3).slowCallDuration(Duration.ofSeconds(2)).build());
        ScriptedBroker broker = new ScriptedBroker(rig.clock).then(4, fail(serverError()))
                .then(slow(Duration.ofSeconds(4)));
        BrokerGateway gateway = rig.gateway("main", broker);
        submit(gateway, 4);
        rig.clock.advance(OPEN_FOR.plusMillis(1));

        submit(gateway, 1);

        assertThat(rig.events()).last().isEqualTo("submit HALF_OPEN->OPEN trial calls failed (1 of 3, the last one slow)");
    }

    @Test
    void businessRejectionsAreTheBrokerWorkingAndNeverOpenTheBreaker() {
        Rig rig = Rig.breaker(policy().failureCount(2).build());
        ScriptedBroker broker = new ScriptedBroker(rig.clock);
        broker.otherwise = fail(rejected());
        BrokerGateway gateway = rig.gateway("main", broker);

        submit(gateway, 12);

        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(rig.events()).isEmpty();
    }

    @Test
    void eachEndpointHasItsOwnBreakerAndPolicy() {
        ResiliencePolicies policies = ResiliencePolicies.builder().breaker(policy().build())
                .breaker(Endpoint.LOOKUP, policy().failureCount(1).build()).budget(null).build();
        Rig rig = new Rig(policies);
        ScriptedBroker broker = new ScriptedBroker(rig.clock).then(fail(serverError()));
        BrokerGateway gateway = rig.gateway("main", broker);

        assertThatThrownBy(() -> gateway.lookup("c-1")).isInstanceOf(BrokerException.class);

        assertThat(gateway.breaker(Endpoint.LOOKUP).getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(gateway.breaker(Endpoint.SUBMIT).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(gateway.breaker(Endpoint.LOOKUP).getName()).isEqualTo("paper:main:lookup");
        assertThat(rig.journal.all()).extracting(JournalRecord::event).singleElement()
                .isInstanceOfSatisfying(BreakerTransitioned.class, t -> assertThat(t.accountId()).isEqualTo("main"));
    }

    @Test
    void anOpenReadsBreakerFailsReadsFastWithoutRetrying() {
        Rig rig = Rig.breaker(policy().failureCount(1).build());
        ScriptedBroker broker = new ScriptedBroker(rig.clock).then(fail(serverError()));
        BrokerGateway gateway = rig.gateway("main", broker);

        assertThatThrownBy(() -> gateway.read(broker::account)).isInstanceOf(BrokerException.class);

        assertThat(broker.calls).hasSize(1);
        assertThat(rig.counter("keel.broker.calls.refused", "endpoint", "reads")).isEqualTo(1.0);
        assertThat(rig.clock.instant()).as("one backoff after the failure, none after the refusal")
                .isBefore(Rig.T0.plusMillis(1500));
    }
}
