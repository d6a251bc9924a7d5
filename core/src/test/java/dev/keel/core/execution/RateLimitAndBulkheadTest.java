package dev.keel.core.execution;

import static dev.keel.core.execution.ScriptedBroker.OK;
import static dev.keel.core.execution.ScriptedBroker.fail;
import static dev.keel.core.execution.ScriptedBroker.rateLimited;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RateLimitAndBulkheadTest {
    private static final RateLimitPolicy FIVE_PER_SECOND = RateLimitPolicy.builder().calls(5)
            .per(Duration.ofSeconds(1)).maxWait(Duration.ofSeconds(2)).build();

    private static Instant at(String call) {
        return Instant.parse(call.substring(call.indexOf('@') + 1));
    }

    @Test
    void twoAccountsOnOneBrokerNeverExceedItsLimitInAnyWindow() {
        Rig rig = new Rig(ResiliencePolicies.builder().rateLimit(FIVE_PER_SECOND).budget(null).build());
        ScriptedBroker a = new ScriptedBroker(rig.clock);
        ScriptedBroker b = new ScriptedBroker(rig.clock);
        BrokerGateway ga = rig.gateway("a", a);
        BrokerGateway gb = rig.gateway("b", b);

        for (int i = 0; i < 40; i++) {
            (i % 3 == 0 ? gb : ga).read(i % 3 == 0 ? b::positions : a::positions);
            rig.clock.advance(Duration.ofMillis(37));
        }

        List<Instant> calls = new ArrayList<>();
        a.calls.forEach(c -> calls.add(at(c)));
        b.calls.forEach(c -> calls.add(at(c)));
        calls.sort(null);
        assertThat(calls).hasSize(40);
        for (int i = 5; i < calls.size(); i++) {
            assertThat(Duration.between(calls.get(i - 5), calls.get(i))).as("call %d and the 5th before it", i)
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
        rig.resilience.flush();
        assertThat(rig.events()).as("the first wait at once, the rest as one count")
                .allMatch(e -> e.startsWith("delayed ")).hasSize(2);
        assertThat(rig.counter("keel.broker.calls.delayed")).isPositive();
    }

    @Test
    void perAccountLimitsLetEachAccountSpendItsOwnBudgetWithoutWaitingForTheOthers() {
        // Alpaca counts per key and each account has its own: a limit per account, or 10 accounts share 200 a minute
        Rig rig = new Rig(ResiliencePolicies.builder().rateLimit(FIVE_PER_SECOND.toBuilder()
                .scope(RateLimitPolicy.Scope.ACCOUNT).build()).budget(null).build());
        ScriptedBroker a = new ScriptedBroker(rig.clock);
        ScriptedBroker b = new ScriptedBroker(rig.clock);
        BrokerGateway ga = rig.gateway("a", a);
        BrokerGateway gb = rig.gateway("b", b);

        for (int i = 0; i < 5; i++) {
            ga.read(a::positions);
            gb.read(b::positions);
        }
        ga.read(a::positions); // a's sixth call in the second waits for a's own window, b's calls do not count

        assertThat(b.calls).hasSize(5).allMatch(c -> at(c).equals(Rig.T0));
        assertThat(a.calls.subList(0, 5)).allMatch(c -> at(c).equals(Rig.T0));
        assertThat(at(a.calls.get(5))).isEqualTo(Rig.T0.plusSeconds(1));
        assertThat(rig.resilience.rateLimiter("a")).isNotSameAs(rig.resilience.rateLimiter("b"));
    }

    @Test
    void aBroker429UnderPerAccountLimitsPausesOnlyThatAccount() {
        Rig rig = new Rig(ResiliencePolicies.builder().rateLimit(FIVE_PER_SECOND.toBuilder()
                .scope(RateLimitPolicy.Scope.ACCOUNT).build()).budget(null).build());
        ScriptedBroker a = new ScriptedBroker(rig.clock).then(fail(rateLimited(Duration.ofMillis(1500))));
        ScriptedBroker b = new ScriptedBroker(rig.clock);
        BrokerGateway ga = rig.gateway("a", a);
        BrokerGateway gb = rig.gateway("b", b);

        assertThatThrownBy(() -> ga.submit("c-1", null)).isInstanceOf(BrokerException.class);
        gb.read(b::positions);
        ga.read(a::positions);

        assertThat(at(b.calls.getFirst())).isEqualTo(Rig.T0);
        assertThat(at(a.calls.get(1))).isEqualTo(Rig.T0.plusMillis(1500));
    }

    @Test
    void aPermitFurtherThanTheAllowedWaitIsRefusedLocallyAndNotSent() {
        Rig rig = new Rig(ResiliencePolicies.builder().rateLimit(FIVE_PER_SECOND.toBuilder().maxWait(Duration.ZERO)
                .build()).budget(null).build());
        ScriptedBroker broker = new ScriptedBroker(rig.clock);
        BrokerGateway gateway = rig.gateway("main", broker);
        for (int i = 0; i < 5; i++) {
            gateway.submit("c-" + i, null);
        }

        assertThatThrownBy(() -> gateway.submit("c-5", null)).isInstanceOfSatisfying(BrokerException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(e.delivery()).isEqualTo(Delivery.NOT_PROCESSED);
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        });
        assertThat(broker.calls).hasSize(5);
        assertThat(rig.events()).containsExactly("submit refused 1 RATE_LIMIT");
    }

    @Test
    void aBroker429WithRetryAfterPausesEveryAccountOfTheBroker() {
        Rig rig = new Rig(ResiliencePolicies.builder().rateLimit(FIVE_PER_SECOND).budget(null).build());
        ScriptedBroker a = new ScriptedBroker(rig.clock).then(fail(rateLimited(Duration.ofMillis(1500))));
        ScriptedBroker b = new ScriptedBroker(rig.clock);
        BrokerGateway ga = rig.gateway("a", a);
        BrokerGateway gb = rig.gateway("b", b);

        assertThatThrownBy(() -> ga.submit("c-1", null)).isInstanceOf(BrokerException.class);
        gb.read(b::positions);

        assertThat(at(b.calls.getFirst())).isEqualTo(Rig.T0.plusMillis(1500));
        assertThat(rig.events()).containsExactly("paused PT1.5S", "delayed 1 PT1.5S");
    }

    @Test
    void aRetryAfterIsObeyedByTheReadRetryAndPausesTheBrokerWithoutALimiter() {
        Rig rig = new Rig(ResiliencePolicies.builder().budget(null).build());
        ScriptedBroker broker = new ScriptedBroker(rig.clock).then(fail(rateLimited(Duration.ofSeconds(7))), OK);
        BrokerGateway gateway = rig.gateway("main", broker);

        gateway.read(broker::positions);

        assertThat(broker.calls).containsExactly("positions@" + Rig.T0, "positions@" + Rig.T0.plusSeconds(7));
    }

    @Test
    void aFullBulkheadRefusesTheCallWithoutSendingIt() {
        Rig rig = new Rig(ResiliencePolicies.builder().bulkhead(BulkheadPolicy.builder().maxConcurrent(1).build())
                .budget(null).build());
        ScriptedBroker a = new ScriptedBroker(rig.clock);
        ScriptedBroker b = new ScriptedBroker(rig.clock);
        BrokerGateway ga = rig.gateway("a", a);
        BrokerGateway gb = rig.gateway("b", b);
        AtomicReference<BrokerException> inner = new AtomicReference<>();
        a.during = () -> {
            try {
                gb.submit("c-b", null); // while a's call is in flight
            } catch (BrokerException e) {
                inner.set(e);
            }
        };

        ga.submit("c-a", null);

        assertThat(inner.get().code()).isEqualTo(ErrorCode.BULKHEAD_FULL);
        assertThat(inner.get().delivery()).isEqualTo(Delivery.NOT_PROCESSED);
        assertThat(b.calls).isEmpty();
        a.during = () -> { };
        gb.submit("c-b", null);
        assertThat(b.calls).as("the permit came back").hasSize(1);
        assertThat(rig.events()).containsExactly("submit refused 1 BULKHEAD");
    }

    @Test
    void aSubmitsLastCheckRunsAfterTheRateLimitWaitAndItsRefusalSendsNothingAndKeepsNoPermit() {
        Rig rig = new Rig(ResiliencePolicies.builder()
                .rateLimit(RateLimitPolicy.builder().calls(1).per(Duration.ofSeconds(1)).maxWait(Duration.ofSeconds(2))
                        .build())
                .bulkhead(BulkheadPolicy.builder().maxConcurrent(1).build()).budget(null).build());
        ScriptedBroker broker = new ScriptedBroker(rig.clock);
        BrokerGateway gateway = rig.gateway("a", broker);
        gateway.submit("c-0", null);
        List<Instant> checkedAt = new ArrayList<>();

        assertThatThrownBy(() -> gateway.submit("c-1", null, () -> {
            checkedAt.add(rig.clock.instant());
            throw new IllegalStateException("halted while waiting");
        })).hasMessage("halted while waiting");

        assertThat(checkedAt).as("checked after the wait for a permit").containsExactly(Rig.T0.plusSeconds(1));
        assertThat(broker.calls).as("nothing sent").hasSize(1);
        gateway.submit("c-2", null);
        assertThat(broker.calls).as("the breaker's and the bulkhead's permits came back").hasSize(2);
    }

    @Test
    void anAccountBulkheadKeepsOneAccountFromTakingEveryPermit() {
        Rig rig = new Rig(ResiliencePolicies.builder().bulkhead(BulkheadPolicy.builder().maxConcurrent(4)
                .perAccount(1).build()).budget(null).build());
        ScriptedBroker a = new ScriptedBroker(rig.clock);
        BrokerGateway ga = rig.gateway("a", a);
        AtomicReference<BrokerException> inner = new AtomicReference<>();
        a.during = () -> {
            a.during = () -> { };
            try {
                ga.submit("c-2", null);
            } catch (BrokerException e) {
                inner.set(e);
            }
        };

        ga.submit("c-1", null);

        assertThat(inner.get().code()).isEqualTo(ErrorCode.BULKHEAD_FULL);
        assertThat(inner.get().getMessage()).contains("account a already has 1 calls in flight");
    }
}
