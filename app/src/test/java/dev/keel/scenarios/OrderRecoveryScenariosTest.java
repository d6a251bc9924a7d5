package dev.keel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.journal.OrderAttemptFailed;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.rebalance.RebalanceOutcome;
import dev.keel.paper.FaultRule;
import dev.keel.paper.PaperConfig;
import dev.keel.paper.PaperExchange;
import dev.keel.paper.RejectReason;
import dev.keel.paper.BrokerCall;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order-level scenarios of the rebalancer spec, each run as a whole All-Weather rebalance against the paper
 * exchange with one fault aimed at one leg, asserting that leg's whole journal history (laws 1-4).
 */
class OrderRecoveryScenariosTest {
    @TempDir
    Path dir;

    private static FaultRule onSubmit(FaultRule rule, String symbol) {
        return rule.withOp(BrokerCall.SUBMIT).withSymbol(Symbol.of(symbol));
    }

    private RebalanceOutcome rebalance(Harness h) {
        return h.engine().rebalance(Harness.ACCOUNT, null, ProgressListener.NONE);
    }

    @Test
    void timeoutBeforeAcceptIsResolvedByLookupThenResubmittedWithTheSameId() {
        try (Harness h = new Harness(dir, List.of(onSubmit(FaultRule.timeoutBeforeAccept(), "VTI").withTimes(1)))) {
            RebalanceOutcome outcome = rebalance(h);

            assertThat(h.orderEvents(outcome.txId(), "sell-VTI")).containsExactly(
                    "intent SELL VTI",
                    "attempt 1 failed BROKER_TIMEOUT AMBIGUOUS",
                    "lookup NOT_FOUND within grace",
                    "lookup NOT_FOUND after grace",
                    "broker FILLED");
            assertThat(h.exchangeOrdersFor(outcome.txId() + ":sell-VTI")).isEqualTo(1);
            assertThat(outcome.status()).isEqualTo(TransactionStatus.COMPLETED);
        }
    }

    @Test
    void serverErrorEveryTimeExhaustsRetriesWithALookupBeforeEachResubmit() {
        try (Harness h = new Harness(dir, List.of(onSubmit(FaultRule.serverError(500), "IEF")))) {
            RebalanceOutcome outcome = rebalance(h);

            List<String> expected = new java.util.ArrayList<>(List.of("intent BUY IEF"));
            for (int attempt = 1; attempt <= 4; attempt++) {
                expected.add("attempt " + attempt + " failed BROKER_SERVER_ERROR AMBIGUOUS");
                expected.add("lookup NOT_FOUND within grace");
                expected.add("lookup NOT_FOUND after grace");
            }
            expected.add("failed FAILED BROKER_SERVER_ERROR");
            assertThat(h.orderEvents(outcome.txId(), "buy-IEF")).containsExactlyElementsOf(expected);
            assertThat(h.exchangeOrdersFor(outcome.txId() + ":buy-IEF")).isZero();
            assertThat(outcome.status()).isEqualTo(TransactionStatus.PARTIAL);
            assertThat(outcome.errorCode()).isEqualTo(ErrorCode.BROKER_SERVER_ERROR);
        }
    }

    @Test
    void unauthorizedIsNotRetried() {
        try (Harness h = new Harness(dir, List.of(onSubmit(FaultRule.reject(RejectReason.UNAUTHORIZED), "GLD")))) {
            RebalanceOutcome outcome = rebalance(h);

            assertThat(h.orderEvents(outcome.txId(), "buy-GLD")).containsExactly(
                    "intent BUY GLD",
                    "attempt 1 failed UNAUTHORIZED NOT_PROCESSED",
                    "failed FAILED UNAUTHORIZED");
            assertThat(h.exchange.callCounts().get("submit")).isEqualTo(5);
        }
    }

    @Test
    void timeoutAfterAcceptIsResolvedByLookupWithExactlyOneOrderAtTheBroker() {
        try (Harness h = new Harness(dir, List.of(onSubmit(FaultRule.timeoutAfterAccept(), "TLT")))) {
            RebalanceOutcome outcome = rebalance(h);

            assertThat(h.orderEvents(outcome.txId(), "buy-TLT")).containsExactly(
                    "intent BUY TLT",
                    "attempt 1 failed BROKER_TIMEOUT AMBIGUOUS",
                    "lookup FOUND within grace",
                    "broker FILLED");
            assertThat(h.exchangeOrdersFor(outcome.txId() + ":buy-TLT")).isEqualTo(1);
            assertThat(outcome.status()).isEqualTo(TransactionStatus.COMPLETED);
        }
    }

    /**
     * Issue 10 finding 9: the broker answers DUPLICATE (it holds the id: the first submit's answer was lost) and its
     * index lags past the grace period, so the lookups say "not found" after grace. The broker's own word outranks
     * the lookup: the order stays UNKNOWN, nothing is sent again, and the rebalance ends NEEDS_REVIEW, never FAILED.
     */
    @Test
    void duplicateAnswerThenNotFoundAfterGraceStaysUnknownForReview() {
        try (Harness h = new Harness(dir, List.of(onSubmit(FaultRule.timeoutAfterAccept(), "IEF").withTimes(1)),
                b -> b.lookupVisibilityLag(Duration.ofMinutes(10)))) {
            RebalanceOutcome outcome = rebalance(h);

            assertThat(h.orderEvents(outcome.txId(), "buy-IEF")).containsExactly(
                    "intent BUY IEF",
                    "attempt 1 failed BROKER_TIMEOUT AMBIGUOUS",
                    "lookup NOT_FOUND within grace",
                    "lookup NOT_FOUND after grace",
                    "attempt 2 failed DUPLICATE_CLIENT_ORDER_ID REFUSED",
                    "lookup NOT_FOUND within grace",
                    "lookup NOT_FOUND after grace");
            assertThat(h.exchangeOrdersFor(outcome.txId() + ":buy-IEF")).isEqualTo(1);
            assertThat(h.exchange.callCounts().get("submit")).as("IEF submitted twice, the others once")
                    .isEqualTo(6);
            assertThat(outcome.results()).filteredOn(r -> r.leg().equals("buy-IEF")).singleElement()
                    .satisfies(r -> assertThat(r.orderState()).isEqualTo(OrderState.UNKNOWN));
            assertThat(outcome.status()).isEqualTo(TransactionStatus.NEEDS_REVIEW);
        }
    }

    @Test
    void notFoundWithinTheGracePeriodIsNotProofOfAbsence() {
        Path state = dir.resolve("lagging");
        PaperConfig lagging = PaperConfig.builder()
                .seed(1).startingCash(new java.math.BigDecimal("1000.00"))
                .price(Symbol.of("VTI"), new java.math.BigDecimal("250.00"))
                .lookupVisibilityLag(Duration.ofMillis(1500))
                .fault(FaultRule.timeoutAfterAccept().withOp(BrokerCall.SUBMIT))
                .stateFile(state.resolve("paper.db"))
                .build();
        try (Harness h = new Harness(dir, List.of())) {
            try (PaperExchange exchange = new PaperExchange(lagging, h.clock, h.clock)) {
                h.brokerDecorator = ignored -> exchange.broker("lag");
                var ledger = new dev.keel.core.execution.TransactionLedger(h.journal,
                        new dev.keel.core.execution.OperationContext("tx-lag", "lag", "c"),
                        new dev.keel.core.execution.TransactionView());
                var result = h.executor().execute(ledger, "buy-VTI",
                        dev.keel.core.model.OrderSpec.marketNotional(Symbol.of("VTI"), dev.keel.core.model.Side.BUY,
                                new java.math.BigDecimal("500.00")), new java.math.BigDecimal("500.00"));
                // the lookup that found the order waits in the ledger for the transaction's next append
                assertThat(ledger.view().order("tx-lag:buy-VTI").state()).isEqualTo(OrderState.FILLED);
                ledger.position();

                assertThat(h.orderEvents("tx-lag", "buy-VTI")).containsExactly(
                        "intent BUY VTI",
                        "attempt 1 failed BROKER_TIMEOUT AMBIGUOUS",
                        "lookup NOT_FOUND within grace",
                        "lookup FOUND after grace",
                        "broker FILLED");
                assertThat(result.status()).isEqualTo(dev.keel.core.execution.OrderResult.Status.SUCCESS);
                assertThat(exchange.orderLog()).hasSize(1);
            }
        }
    }

    @Test
    void rateLimitWaitsAtLeastRetryAfterThenSucceeds() {
        try (Harness h = new Harness(dir,
                List.of(onSubmit(FaultRule.rateLimited(Duration.ofSeconds(5)), "DBC").withTimes(1)))) {
            RebalanceOutcome outcome = rebalance(h);

            assertThat(h.orderEvents(outcome.txId(), "buy-DBC")).containsExactly(
                    "intent BUY DBC",
                    "attempt 1 failed RATE_LIMITED NOT_PROCESSED",
                    "broker FILLED");
            var failedAt = h.events(outcome.txId()).stream().filter(OrderAttemptFailed.class::isInstance)
                    .map(OrderAttemptFailed.class::cast).findFirst().orElseThrow().at();
            var filledAt = h.events(outcome.txId()).stream().filter(OrderUpdated.class::isInstance)
                    .map(OrderUpdated.class::cast)
                    .filter(u -> u.clientOrderId().endsWith("buy-DBC") && u.state() == OrderState.FILLED)
                    .findFirst().orElseThrow().at();
            assertThat(Duration.between(failedAt, filledAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
        }
    }

    /**
     * The crash loses the answer to an accepted buy, and on resumption the broker would refuse a repeat of the id for
     * another reason than the duplicate (an injected INVALID_ORDER). Recovery used to resubmit and take that refusal
     * for the order's fate: REJECTED, "nothing filled", while it had filled (soak seed 1069815). Now the intent is
     * UNKNOWN on resumption and the lookup finds the order.
     */
    @Test
    void crashAfterAcceptIsFoundOnResumptionEvenWhenARepeatWouldBeRefused() {
        FaultRule refuseRepeat = FaultRule.reject(dev.keel.paper.RejectReason.INVALID_ORDER)
                .withOp(dev.keel.paper.BrokerCall.SUBMIT).withSymbol(dev.keel.core.model.Symbol.of("GLD"))
                .withNth(2);
        try (Harness h = new Harness(dir, List.of(refuseRepeat))) {
            var report = crashAfterTheGldBuyIsAcceptedThenRecover(h);

            String txId = report.transactions().get(0).txId();
            assertThat(h.orderEvents(txId, "buy-GLD")).containsExactly(
                    "intent BUY GLD",
                    "lookup FOUND within grace",
                    "broker FILLED");
            assertThat(report.transactions()).singleElement()
                    .satisfies(e -> assertThat(e.status()).isEqualTo(TransactionStatus.COMPLETED));
        }
    }

    /** The engine dies right after the 2nd buy (GLD) is accepted; a new engine over the reopened journal recovers. */
    private dev.keel.core.engine.RecoveryReport crashAfterTheGldBuyIsAcceptedThenRecover(Harness h) {
        h.brokerDecorator = b -> new CrashingBroker(b, 3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rebalance(h))
                .isInstanceOf(CrashingBroker.Crash.class);
        h.reopenJournal();
        h.brokerDecorator = b -> b;
        return h.engine().recover();
    }

    /**
     * A lookup that resolves an order the resumed rebalance waits on is written with the transaction's next append,
     * as a submit's answer is: a crash before that append loses it, and the next recovery asks again and finds the
     * order the lost answer had let through (law 3). Here the second recovery dies right after resubmitting IEF, which
     * its lookup had proven absent; neither that lookup nor the answer reached the journal, and the third recovery
     * finds IEF at the broker and adopts it: one order per id at the exchange.
     */
    @Test
    void aLookupLostWithACrashDuringRecoveryIsAskedAgainAndFindsTheOrderItLetThrough() {
        try (Harness h = new Harness(dir, List.of())) {
            crashAfterTheGldBuyIsAcceptedThenCrashInRecovery(h, 1);
            String txId = "tx-1";
            assertThat(h.orderEvents(txId, "buy-IEF")).as("journaled when the second recovery died")
                    .containsExactly("intent BUY IEF", "lookup NOT_FOUND within grace");

            h.reopenJournal();
            var report = h.engine().recover();

            assertThat(report.transactions()).singleElement()
                    .satisfies(e -> assertThat(e.status()).isEqualTo(TransactionStatus.COMPLETED));
            assertThat(h.orderEvents(txId, "buy-IEF")).containsExactly(
                    "intent BUY IEF",
                    "lookup NOT_FOUND within grace",
                    "lookup FOUND after grace", // the grace counts from the first resumption
                    "broker FILLED");
            for (var entry : h.exchange.orderLog()) {
                assertThat(h.exchangeOrdersFor(entry.clientOrderId())).as(entry.clientOrderId()).isEqualTo(1);
            }
        }
    }

    /**
     * {@link #crashAfterTheGldBuyIsAcceptedThenRecover}, whose recovery dies in turn right after its
     * {@code submits}-th submit was accepted.
     */
    private void crashAfterTheGldBuyIsAcceptedThenCrashInRecovery(Harness h, int submits) {
        h.brokerDecorator = b -> new CrashingBroker(b, 3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rebalance(h))
                .isInstanceOf(CrashingBroker.Crash.class);
        h.reopenJournal();
        h.brokerDecorator = b -> new CrashingBroker(b, submits);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.engine().recover())
                .isInstanceOf(CrashingBroker.Crash.class);
        h.brokerDecorator = b -> b;
    }

    @Test
    void crashAfterAcceptIsResumedWithoutASecondOrder() {
        try (Harness h = new Harness(dir, List.of())) {
            var report = crashAfterTheGldBuyIsAcceptedThenRecover(h);

            assertThat(report.transactions()).singleElement()
                    .satisfies(e -> assertThat(e.status()).isEqualTo(TransactionStatus.COMPLETED));
            String txId = report.transactions().get(0).txId();
            // resumed, the intent may have left before the crash: asked for first, found, adopted (law 3)
            assertThat(h.orderEvents(txId, "buy-GLD")).containsExactly(
                    "intent BUY GLD",
                    "lookup FOUND within grace",
                    "broker FILLED");
            for (var entry : h.exchange.orderLog()) {
                assertThat(h.exchangeOrdersFor(entry.clientOrderId())).as(entry.clientOrderId()).isEqualTo(1);
            }
            assertThat(h.eventKinds(txId)).contains("TransactionResumed").endsWith("TransactionEnded", "OrdersWorking");
        }
    }
}
