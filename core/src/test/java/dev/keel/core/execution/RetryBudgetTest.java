package dev.keel.core.execution;

import static dev.keel.core.execution.ScriptedBroker.fail;
import static dev.keel.core.execution.ScriptedBroker.serverError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.broker.BrokerException;
import dev.keel.core.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    private static RetryBudgetPolicy policy(double ratio, int minimum) {
        return RetryBudgetPolicy.builder().ratio(ratio).window(Duration.ofSeconds(60)).minimumRetries(minimum)
                .build();
    }

    @Test
    void aQuietBrokerStillGetsTheMinimumRetries() {
        ManualClock clock = new ManualClock(Rig.T0);
        RetryBudget budget = policy(0.2, 3).create(clock);

        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isFalse();
        assertThat(budget.granted()).isEqualTo(3);
        assertThat(budget.refused()).isEqualTo(1);
    }

    @Test
    void retriesAreCappedAtTheRatioOfFirstAttemptsInTheWindow() {
        ManualClock clock = new ManualClock(Rig.T0);
        RetryBudget budget = policy(0.2, 0).create(clock);
        for (int i = 0; i < 50; i++) {
            budget.recordCall();
        }
        int granted = 0;
        while (budget.tryRetry()) {
            budget.recordCall(); // the retry is sent: a call, but not a first attempt
            granted++;
        }
        assertThat(granted).isEqualTo(10);
    }

    @Test
    void theWindowSlidesOnTheInjectedClock() {
        ManualClock clock = new ManualClock(Rig.T0);
        RetryBudget budget = policy(0.1, 1).create(clock);
        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isFalse();

        clock.advance(Duration.ofSeconds(59));
        assertThat(budget.tryRetry()).as("the retry is still in the window").isFalse();
        clock.advance(Duration.ofSeconds(7));
        assertThat(budget.tryRetry()).isTrue();
    }

    @Test
    void aSpentBudgetFailsAReadWithItsOwnErrorAndJournalsTheRefusalAsACount() {
        Rig rig = new Rig(ResiliencePolicies.builder().budget(policy(0.0, 2))
                .breaker(BreakerPolicy.builder().minimumCalls(20).build()).build());
        ScriptedBroker broker = new ScriptedBroker(rig.clock);
        broker.otherwise = fail(serverError());
        BrokerGateway gateway = rig.gateway("main", broker);

        assertThatThrownBy(() -> gateway.read(broker::account)).isInstanceOf(BrokerException.class)
                .hasMessage("503");
        assertThatThrownBy(() -> gateway.read(broker::account)).isInstanceOf(BrokerException.class);
        rig.resilience.flush();

        assertThat(broker.calls).as("1 + 2 retries, then 1 without a retry").hasSize(4);
        assertThat(rig.events()).containsExactly("reads refused 1 RETRY_BUDGET", "reads refused 1 RETRY_BUDGET");
        assertThat(rig.counter("keel.broker.calls.refused", "reason", "retry_budget")).isEqualTo(2.0);
    }

    @Test
    void theBudgetIsSharedByEveryAccountOfTheBroker() {
        Rig rig = new Rig(ResiliencePolicies.builder().budget(policy(0.0, 3))
                .breaker(BreakerPolicy.builder().minimumCalls(20).build()).build());
        ScriptedBroker a = new ScriptedBroker(rig.clock);
        ScriptedBroker b = new ScriptedBroker(rig.clock);
        a.otherwise = fail(serverError());
        b.otherwise = fail(serverError());

        assertThatThrownBy(() -> rig.gateway("a", a).read(a::account)).isInstanceOf(BrokerException.class);
        assertThatThrownBy(() -> rig.gateway("b", b).read(b::account)).isInstanceOf(BrokerException.class);

        assertThat(a.calls).hasSize(4);
        assertThat(b.calls).as("a took every retry").hasSize(1);
    }
}
