package dev.keel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.execution.OrderResult;
import dev.keel.core.journal.BuysSized;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.OrderCancelRequested;
import dev.keel.core.journal.OrderEvent;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.rebalance.RebalanceOutcome;
import dev.keel.paper.BrokerCall;
import dev.keel.paper.FaultRule;
import dev.keel.paper.RejectReason;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transaction-level scenarios of the rebalancer spec: terminal states, law 5, law 7, law 8. */
class RebalanceScenariosTest {
    @TempDir
    Path dir;

    private static FaultRule onSubmit(FaultRule rule, String symbol) {
        return rule.withOp(BrokerCall.SUBMIT).withSymbol(Symbol.of(symbol));
    }

    private static RebalanceOutcome rebalance(Harness h) {
        return h.engine().rebalance(Harness.ACCOUNT, null, ProgressListener.NONE);
    }

    private static Map<String, OrderResult.Status> statuses(RebalanceOutcome outcome) {
        return outcome.results().stream().collect(Collectors.toMap(r -> r.leg(), OrderResult::status,
                (a, b) -> a, java.util.TreeMap::new));
    }

    private static boolean lastRebalanceMoved(Harness h) {
        return !h.journal.stream("account:" + Harness.ACCOUNT).isEmpty();
    }

    @Test
    void cleanRunCompletesMovesLastRebalanceAndReportsSuccess() {
        try (Harness h = new Harness(dir, List.of())) {
            RebalanceOutcome outcome = rebalance(h);

            assertThat(outcome.status()).isEqualTo(TransactionStatus.COMPLETED);
            assertThat(h.eventKinds(outcome.txId())).containsExactly(
                    "TransactionStarted", "PlanInputsRecorded",
                    "OrderIntentRecorded", "OrderUpdated",
                    // the sizing and every buy's intent in one append, then the buys sent one by one
                    "BuysSized", "OrderIntentRecorded", "OrderIntentRecorded", "OrderIntentRecorded",
                    "OrderIntentRecorded",
                    "OrderUpdated", "OrderUpdated", "OrderUpdated", "OrderUpdated",
                    "ReconciliationRecorded",
                    "TransactionEnded", "OrdersWorking");
            assertThat(outcome.reconciliation().withinTolerance()).isTrue();
            assertThat(outcome.reconciliation().brokerAgrees()).isTrue();
            assertThat(lastRebalanceMoved(h)).isTrue();
            assertThat(h.notified).singleElement().satisfies(n -> assertThat(n.severity()).isEqualTo(Severity.INFO));
        }
    }

    @Test
    void sellSucceedsBuyFailsEndsPartialNotifiedAndLastRebalanceUnchanged() {
        try (Harness h = new Harness(dir,
                List.of(onSubmit(FaultRule.reject(RejectReason.SYMBOL_NOT_FOUND), "TLT")))) {
            RebalanceOutcome outcome = rebalance(h);

            assertThat(outcome.status()).isEqualTo(TransactionStatus.PARTIAL);
            assertThat(statuses(outcome)).containsExactly(
                    Map.entry("buy-DBC", OrderResult.Status.SUCCESS),
                    Map.entry("buy-GLD", OrderResult.Status.SUCCESS),
                    Map.entry("buy-IEF", OrderResult.Status.SUCCESS),
                    Map.entry("buy-TLT", OrderResult.Status.FAILED),
                    Map.entry("sell-VTI", OrderResult.Status.SUCCESS));
            assertThat(outcome.errorCode()).isEqualTo(ErrorCode.SYMBOL_NOT_FOUND);
            assertThat(h.ended(outcome.txId()).reconciliationNotes()).contains("off target").contains("TLT");
            assertThat(lastRebalanceMoved(h)).isFalse();
            assertThat(h.notified).singleElement().satisfies(n -> {
                assertThat(n.severity()).isEqualTo(Severity.HIGH);
                assertThat(n.title()).contains("PARTIAL");
                assertThat(n.body()).contains("TLT").contains("SYMBOL_NOT_FOUND").contains("keel tx show");
            });
        }
    }

    @Test
    void someBuysFailOthersFillEndsPartial() {
        try (Harness h = new Harness(dir, List.of(
                onSubmit(FaultRule.reject(RejectReason.SYMBOL_NOT_FOUND), "DBC"),
                onSubmit(FaultRule.reject(RejectReason.INSUFFICIENT_BUYING_POWER), "GLD")))) {
            RebalanceOutcome outcome = rebalance(h);

            assertThat(outcome.status()).isEqualTo(TransactionStatus.PARTIAL);
            assertThat(statuses(outcome)).containsEntry("buy-DBC", OrderResult.Status.FAILED)
                    .containsEntry("buy-GLD", OrderResult.Status.FAILED)
                    .containsEntry("buy-IEF", OrderResult.Status.SUCCESS)
                    .containsEntry("buy-TLT", OrderResult.Status.SUCCESS);
            assertThat(outcome.results()).filteredOn(r -> r.leg().equals("buy-GLD")).singleElement()
                    .satisfies(r -> assertThat(r.errorCode()).isEqualTo(ErrorCode.INSUFFICIENT_BUYING_POWER));
            assertThat(lastRebalanceMoved(h)).isFalse();
        }
    }

    @Test
    void acceptedButNeverFilledIsCancelledAtTheFillTimeout() {
        try (Harness h = new Harness(dir, List.of(onSubmit(FaultRule.noFill(), "IEF")))) {
            RebalanceOutcome outcome = rebalance(h);

            assertThat(h.orderEvents(outcome.txId(), "buy-IEF")).containsExactly(
                    "intent BUY IEF",
                    "broker ACCEPTED",
                    "broker CANCELLED");
            // law 3 for cancels: the fill-timeout cancel is journaled before it is sent, like every other cancel
            String cid = outcome.txId() + ":buy-IEF";
            assertThat(h.events(outcome.txId())).filteredOn(e -> e instanceof OrderEvent o
                            && o.clientOrderId().equals(cid) && !(e instanceof OrderIntentRecorded))
                    .extracting(e -> e.getClass().getSimpleName())
                    .containsExactly("OrderUpdated", "OrderCancelRequested", "OrderUpdated");
            assertThat(h.events(outcome.txId())).filteredOn(OrderCancelRequested.class::isInstance)
                    .singleElement().satisfies(e -> {
                        OrderCancelRequested c = (OrderCancelRequested) e;
                        assertThat(c.clientOrderId()).isEqualTo(cid);
                        assertThat(c.attempt()).isEqualTo(1);
                        assertThat(c.reason()).contains("fill timeout");
                    });
            assertThat(outcome.results()).filteredOn(r -> r.leg().equals("buy-IEF")).singleElement()
                    .satisfies(r -> {
                        assertThat(r.status()).isEqualTo(OrderResult.Status.FAILED);
                        assertThat(r.errorCode()).isEqualTo(ErrorCode.ORDER_NOT_FILLED);
                    });
            assertThat(outcome.status()).isEqualTo(TransactionStatus.PARTIAL);
        }
    }

    @Test
    void lessCashThanPlannedScalesBuysDownProportionally() {
        try (Harness h = new Harness(dir, List.of(onSubmit(FaultRule.partialFill(new BigDecimal("0.5")), "VTI")))) {
            RebalanceOutcome outcome = rebalance(h);

            BuysSized sized = h.events(outcome.txId()).stream().filter(BuysSized.class::isInstance)
                    .map(BuysSized.class::cast).findFirst().orElseThrow();
            assertThat(sized.scale()).isLessThan(BigDecimal.ONE);
            BigDecimal total = sized.buys().stream().map(b -> b.estimatedNotional())
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(total).isLessThanOrEqualTo(sized.cashAvailable());
            assertThat(outcome.results()).noneMatch(r -> r.errorCode() == ErrorCode.INSUFFICIENT_BUYING_POWER);
            assertThat(h.exchange.accountSnapshot(Harness.ACCOUNT).cash()).isGreaterThanOrEqualTo(BigDecimal.ZERO);
            assertThat(outcome.status()).isEqualTo(TransactionStatus.PARTIAL);
        }
    }

    @Test
    void riskLimitAbortsBeforeAnythingIsSent() {
        try (Harness h = new Harness(dir, List.of())) {
            var engine = new dev.keel.core.engine.Engine(h.journal, List.of(new dev.keel.core.engine.AccountRuntime(
                    new dev.keel.core.rebalance.RebalanceAccount(Harness.ACCOUNT, Harness.allWeather(),
                            dev.keel.core.risk.RiskLimits.builder().maxOrder(new BigDecimal("1000.00")).build()),
                    h.executor())), h.outbox(), h.clock, () -> "tx-risk", java.time.Duration.ZERO);

            RebalanceOutcome outcome = engine.rebalance(Harness.ACCOUNT, null, ProgressListener.NONE);

            assertThat(outcome.status()).isEqualTo(TransactionStatus.ABORTED);
            assertThat(outcome.errorCode()).isEqualTo(ErrorCode.RISK_LIMIT_EXCEEDED);
            assertThat(h.exchange.callCounts().getOrDefault("submit", 0)).isZero();
            assertThat(h.eventKinds("tx-risk")).containsExactly("TransactionStarted", "TransactionEnded", "OrdersWorking");
            assertThat(h.notified).singleElement().satisfies(n -> assertThat(n.title()).contains("ABORTED"));
        }
    }

    @Test
    void everyOutcomeOtherThanCompletedHasANotificationInTheDurableOutbox() {
        try (Harness h = new Harness(dir, List.of(onSubmit(FaultRule.reject(RejectReason.MARKET_CLOSED), "GLD")))) {
            RebalanceOutcome outcome = rebalance(h);

            assertThat(outcome.status()).isEqualTo(TransactionStatus.PARTIAL);
            List<JournalEvent> all = new java.util.ArrayList<>();
            h.journal.replay(0, r -> all.add(r.event()));
            assertThat(all).filteredOn(e -> e instanceof dev.keel.core.journal.NotificationQueued q
                    && outcome.txId().equals(q.txId())).hasSize(1);
            assertThat(all).filteredOn(e -> e instanceof dev.keel.core.journal.NotificationSettled s
                    && s.delivered()).hasSize(1);
            assertThat(h.journal.openStreams(JournalEvent.NOTIFICATION)).isEmpty();
        }
    }

    @Test
    void anUnexpectedErrorMidRebalanceClosesTheTransactionForReviewInsteadOfLeavingItOpen() {
        try (Harness h = new Harness(dir, List.of())) {
            h.brokerDecorator = b -> new CrashingBroker(b, 2, true);

            RebalanceOutcome outcome = rebalance(h);

            assertThat(outcome.status()).isEqualTo(TransactionStatus.NEEDS_REVIEW);
            assertThat(outcome.errorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR);
            assertThat(h.journal.openStreams(JournalEvent.TRANSACTION)).isEmpty();
            assertThat(h.ended(outcome.txId()).status()).isEqualTo(TransactionStatus.NEEDS_REVIEW);
            assertThat(h.notified).extracting(n -> n.title()).containsExactly(
                    "Transaction " + outcome.txId() + " needs review", "Account main HALTED (was ACTIVE)");
            assertThat(h.notified).allSatisfy(n -> {
                assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
                assertThat(n.body()).contains("IllegalStateException");
            });
        }
    }

    @Test
    void anOrderTheJournalDoesNotKnowPutsTheNextRebalanceInReviewBeforeAnythingIsSent() {
        try (Harness h = new Harness(dir, List.of())) {
            assertThat(rebalance(h).status()).isEqualTo(TransactionStatus.COMPLETED);
            h.exchange.broker(Harness.ACCOUNT).submit("by-hand-1",
                    dev.keel.core.model.OrderSpec.marketQty(Symbol.of("DBC"), dev.keel.core.model.Side.BUY,
                            BigDecimal.ONE));
            int submitsBefore = h.exchange.callCounts().get("submit");

            RebalanceOutcome outcome = rebalance(h);

            assertThat(outcome.status()).isEqualTo(TransactionStatus.NEEDS_REVIEW);
            assertThat(outcome.errorCode()).isEqualTo(ErrorCode.RECONCILIATION_MISMATCH);
            assertThat(outcome.errorMessage()).contains("DBC: the journal expects");
            assertThat(h.exchange.callCounts().get("submit")).isEqualTo(submitsBefore);
            assertThat(h.notified).last().satisfies(n -> assertThat(n.severity()).isEqualTo(Severity.CRITICAL));
        }
    }

    @Test
    void anUnresolvedSellStopsTheBuysAndEndsInReview() {
        try (Harness h = new Harness(dir, List.of(
                onSubmit(FaultRule.timeoutAfterAccept(), "VTI"),
                FaultRule.serverError(503).withOp(BrokerCall.LOOKUP)))) {
            RebalanceOutcome outcome = rebalance(h);

            assertThat(outcome.status()).isEqualTo(TransactionStatus.NEEDS_REVIEW);
            assertThat(outcome.errorCode()).as("the lookups' own failure").isEqualTo(ErrorCode.BROKER_SERVER_ERROR);
            assertThat(outcome.errorMessage()).contains("unresolved");
            assertThat(h.eventKinds(outcome.txId())).doesNotContain("BuysSized");
            assertThat(h.exchange.orderLog()).singleElement()
                    .satisfies(o -> assertThat(o.clientOrderId()).endsWith(":sell-VTI"));
        }
    }
}
