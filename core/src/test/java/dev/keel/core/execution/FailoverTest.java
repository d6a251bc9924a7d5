package dev.keel.core.execution;

import static dev.keel.core.execution.ScriptedBroker.fail;
import static dev.keel.core.execution.ScriptedBroker.serverError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.broker.BrokerException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailoverTest {
    private static final BreakerPolicy BREAKER = BreakerPolicy.builder().failureCount(2).minimumCalls(10)
            .openFor(Duration.ofSeconds(30)).halfOpenCalls(2).successThreshold(1).build();

    private final Rig rig = new Rig(ResiliencePolicies.builder().breaker(BREAKER).budget(null).build());
    private final ScriptedBroker primary = new ScriptedBroker(rig.clock);
    private final ScriptedBroker backup = new ScriptedBroker(rig.clock);
    private final BrokerGateway gateway = rig.gateway("main", primary, backup);

    private void submitIgnoringErrors() {
        try {
            gateway.submit("c", null);
        } catch (BrokerException e) {
            // the failure itself is not the point
        }
    }

    @Test
    void theBackupTakesOverWhenThePrimaryBreakerOpensAndGivesBackAfterAProbeSucceeds() {
        primary.otherwise = fail(serverError());
        submitIgnoringErrors();
        submitIgnoringErrors();
        assertThat(gateway.active(Endpoint.SUBMIT)).isEqualTo(FailoverBroker.Side.BACKUP);
        assertThat(gateway.active(Endpoint.READS)).as("each endpoint fails over alone")
                .isEqualTo(FailoverBroker.Side.PRIMARY);

        gateway.submit("c", null);
        gateway.submit("c", null);
        assertThat(backup.calls).hasSize(2);
        assertThat(gateway.breaker().getName()).isEqualTo("paper:main:submit@backup");

        rig.clock.advance(Duration.ofSeconds(31));
        primary.otherwise = ScriptedBroker.OK;
        gateway.submit("c", null);

        assertThat(gateway.active(Endpoint.SUBMIT)).isEqualTo(FailoverBroker.Side.PRIMARY);
        assertThat(primary.calls).extracting(c -> c.substring(0, c.indexOf('@')))
                .containsExactly("submit", "submit", "clock", "submit");
        assertThat(gateway.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(rig.events()).containsExactly(
                "submit CLOSED->OPEN failure-count (2 consecutive failures)",
                "submit primary->backup primary breaker opened",
                "submit OPEN->HALF_OPEN open-for elapsed",
                "submit HALF_OPEN->CLOSED success-threshold (1 of 2 trial calls succeeded)",
                "submit backup->primary primary answered its health probe");
        assertThat(rig.counter("keel.broker.failovers")).isEqualTo(2.0);
    }

    @Test
    void aFailedProbeKeepsTheBackupActiveForAnotherOpenPeriod() {
        primary.otherwise = fail(serverError());
        submitIgnoringErrors();
        submitIgnoringErrors();
        rig.clock.advance(Duration.ofSeconds(31));

        gateway.submit("c", null); // probe 1 fails: one success of two is still possible
        gateway.submit("c", null); // probe 2 fails: it is not

        assertThat(gateway.active(Endpoint.SUBMIT)).isEqualTo(FailoverBroker.Side.BACKUP);
        assertThat(rig.events()).endsWith("submit OPEN->HALF_OPEN open-for elapsed",
                "submit HALF_OPEN->OPEN trial calls failed (2 of 2, the last one an error)");
        assertThat(backup.calls).hasSize(2);
    }

    @Test
    void readsThroughTheFailoverBrokerGoToTheActiveConnection() {
        primary.otherwise = fail(serverError());
        for (int i = 0; i < 2; i++) {
            try {
                gateway.read(gateway.broker()::positions);
            } catch (BrokerException e) {
                // opens the primary's reads breaker
            }
        }

        gateway.read(gateway.broker()::positions);

        assertThat(gateway.active(Endpoint.READS)).isEqualTo(FailoverBroker.Side.BACKUP);
        assertThat(backup.calls).isNotEmpty().allMatch(c -> c.startsWith("positions@"));
    }

    @Test
    void aScheduledProbeGivesBackWithoutWaitingForACall() {
        primary.otherwise = fail(serverError());
        submitIgnoringErrors();
        submitIgnoringErrors();
        primary.otherwise = ScriptedBroker.OK;

        gateway.probe();
        assertThat(gateway.active(Endpoint.SUBMIT)).as("still open").isEqualTo(FailoverBroker.Side.BACKUP);
        rig.clock.advance(Duration.ofSeconds(31));
        gateway.probe();

        assertThat(gateway.active(Endpoint.SUBMIT)).isEqualTo(FailoverBroker.Side.PRIMARY);
        assertThat(backup.calls).isEmpty();
    }
}
