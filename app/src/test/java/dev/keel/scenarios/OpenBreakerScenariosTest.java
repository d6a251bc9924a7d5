package dev.keel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.execution.Endpoint;
import dev.keel.core.execution.OperationContext;
import dev.keel.core.execution.OrderExecutor;
import dev.keel.core.execution.OrderResult;
import dev.keel.core.execution.OrderTrack;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.OrderFailed;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 15: a submit refused by an open circuit breaker was never sent, and would not be until the breaker
 * lets a trial call through, so it is not retried inside the open period: an ordinary order ends at once, a
 * protective one waits for the trial. On simulated time (the default breaker stays open 60 s).
 */
class OpenBreakerScenariosTest {
    @TempDir
    Path dir;

    private static final OrderSpec SELL_VTI = OrderSpec.marketQty(Symbol.of("VTI"), Side.SELL, new BigDecimal("5"));

    private static TransactionLedger ledger(Harness h, String txId) {
        return new TransactionLedger(h.journal, new OperationContext(txId, Harness.ACCOUNT, txId),
                new TransactionView());
    }

    /**
     * When the default breaker lets its first trial call through: its open period as its configuration holds it, and
     * the millisecond after (resilience4j half-opens strictly after the period).
     */
    private static Duration openFor(OrderExecutor executor) {
        return Duration.ofMillis(executor.gateway().breaker(Endpoint.SUBMIT).getCircuitBreakerConfig()
                .getWaitIntervalFunctionInOpenState().apply(1) + 1);
    }

    @Test
    void anOrderRefusedByAnOpenBreakerEndsAtOnceWithoutRetriesOrWaiting() {
        try (Harness h = new Harness(dir, List.of())) {
            OrderExecutor executor = h.executor();
            executor.gateway().breaker(Endpoint.SUBMIT).transitionToOpenState();
            Instant before = h.clock.instant();

            OrderResult result = executor.execute(ledger(h, "tx-open"), "sell-VTI", SELL_VTI, null);

            assertThat(h.orderEvents("tx-open", "sell-VTI")).containsExactly(
                    "intent SELL VTI",
                    "attempt 1 failed BROKER_UNAVAILABLE NOT_PROCESSED",
                    "failed FAILED BROKER_UNAVAILABLE");
            assertThat(h.events("tx-open")).filteredOn(OrderFailed.class::isInstance).singleElement()
                    .satisfies(e -> assertThat(((OrderFailed) e).message())
                            .contains("not retried inside its open period")
                            .contains("a trial call is let through at " + before.plus(openFor(executor))));
            assertThat(result.status()).isEqualTo(OrderResult.Status.FAILED);
            assertThat(h.clock.instant()).as("nothing waited").isEqualTo(before);
            assertThat(h.exchange.callCounts().getOrDefault("submit", 0)).isZero();
        }
    }

    @Test
    void aProtectiveOrderRefusedByAnOpenBreakerWaitsForTheTrialCallInsteadOfSpendingItsAttempts() {
        try (Harness h = new Harness(dir, List.of())) {
            OrderExecutor executor = h.executor();
            executor.gateway().breaker(Endpoint.SUBMIT).transitionToOpenState();
            Instant before = h.clock.instant();
            Duration openFor = openFor(executor);

            OrderTrack placed = executor.placeReducing(ledger(h, "tx-protect"), "protect", SELL_VTI,
                    before.plus(openFor).plusSeconds(30));

            assertThat(h.orderEvents("tx-protect", "protect")).containsExactly(
                    "intent SELL VTI",
                    "attempt 1 failed BROKER_UNAVAILABLE NOT_PROCESSED",
                    "broker FILLED");
            assertThat(placed.state()).isEqualTo(OrderState.FILLED);
            assertThat(h.clock.instant()).as("waited exactly until the trial call").isEqualTo(before.plus(openFor));
            assertThat(h.exchange.callCounts().get("submit")).isEqualTo(1);
        }
    }

    @Test
    void aProtectiveOrderWhoseGraceEndsBeforeTheTrialGivesUpAtOnce() {
        try (Harness h = new Harness(dir, List.of())) {
            OrderExecutor executor = h.executor();
            executor.gateway().breaker(Endpoint.SUBMIT).transitionToOpenState();
            Instant before = h.clock.instant();

            OrderTrack placed = executor.placeReducing(ledger(h, "tx-late"), "protect", SELL_VTI,
                    before.plusSeconds(5));

            assertThat(h.orderEvents("tx-late", "protect")).containsExactly(
                    "intent SELL VTI",
                    "attempt 1 failed BROKER_UNAVAILABLE NOT_PROCESSED",
                    "failed FAILED BROKER_UNAVAILABLE");
            assertThat(placed.state()).isEqualTo(OrderState.FAILED);
            assertThat(h.clock.instant()).isEqualTo(before);
        }
    }
}
