package dev.keel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.broker.Broker;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.execution.OrderResult;
import dev.keel.core.journal.BuysSized;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.OrderAttemptFailed;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TimeInForce;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.ops.OperationOutcome;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.rebalance.RebalanceOutcome;
import dev.keel.paper.BrokerCall;
import dev.keel.paper.ExchangeOrderLogEntry;
import dev.keel.paper.FaultRule;
import dev.keel.paper.RejectReason;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Keel expects of any broker, run over each one: the rebalancer spec's scenarios (a clean run, partial fills, a
 * refused order, an answer lost after the order was taken, a 429 waited out) and every order operation (bracket, OCO,
 * close, bulk cancel, modify), each through the {@link dev.keel.core.engine.Engine} as the scenario tests drive it.
 *
 * <p>Every subclass trades on the same kind of paper exchange ({@link Harness}: the All-Weather account, simulated
 * time), so the faults are the exchange's fault plan and the outcomes can be compared: a subclass only says how Keel
 * reaches the exchange. Assertions are on whole outcomes: the terminal state, one order per client order id at the
 * exchange, every order there journaled, no transaction left open. Where a broker is free to differ (the code of a
 * lost answer depends on the transport), the test says so.
 */
abstract class BrokerContractTest {
    static final Symbol VTI = Symbol.of("VTI");
    static final Symbol TLT = Symbol.of("TLT");
    static final Symbol IEF = Symbol.of("IEF");

    @TempDir
    Path dir;

    private Harness harness;

    /**
     * The broker of {@link Harness#ACCOUNT} on {@code h}'s exchange, as the subclass reaches it. Anything it starts
     * is stopped by {@link #stopBroker()}.
     */
    abstract Broker broker(Harness h);

    /** Stops what {@link #broker(Harness)} started; called after each test, before the exchange closes. */
    abstract void stopBroker();

    Harness harness(List<FaultRule> faults) {
        harness = new Harness(dir, faults);
        Broker broker = broker(harness);
        harness.brokerDecorator = ignored -> broker;
        return harness;
    }

    @AfterEach
    void close() {
        stopBroker();
        if (harness != null) {
            harness.close();
        }
    }

    private static FaultRule onSubmit(FaultRule rule, String symbol) {
        return rule.withOp(BrokerCall.SUBMIT).withSymbol(Symbol.of(symbol));
    }

    private static RebalanceOutcome rebalance(Harness h) {
        return h.engine().rebalance(Harness.ACCOUNT, null, ProgressListener.NONE);
    }

    private static Map<String, OrderResult.Status> statuses(RebalanceOutcome outcome) {
        return outcome.results().stream().collect(Collectors.toMap(OrderResult::leg, OrderResult::status,
                (a, b) -> a, TreeMap::new));
    }

    private static BigDecimal n(String v) {
        return new BigDecimal(v);
    }

    /**
     * The laws every scenario ends with: no transaction left open (law 6), never two orders at the exchange for one
     * client order id (law 2), and every order there known to the journal (law 1), but those {@code byHand}.
     */
    static void assertWhole(Harness h, String... byHand) {
        assertThat(h.journal.openStreams(JournalEvent.TRANSACTION)).as("transactions left open").isEmpty();
        Map<String, Long> perId = h.exchange.orderLog().stream().collect(Collectors.groupingBy(
                ExchangeOrderLogEntry::clientOrderId, Collectors.counting()));
        assertThat(perId).as("orders per client order id at the exchange").allSatisfy((id, count) ->
                assertThat(count).as(id).isEqualTo(1));
        Set<String> journaled = new HashSet<>();
        h.journal.replay(0, r -> {
            if (r.event() instanceof OrderIntentRecorded i) {
                journaled.add(i.clientOrderId());
            }
        });
        Set<String> unknown = new HashSet<>(perId.keySet());
        unknown.removeAll(journaled);
        unknown.removeAll(List.of(byHand));
        assertThat(unknown).as("orders at the exchange the journal has no intent for").isEmpty();
    }

    // ---- the rebalancer spec

    @Test
    void aCleanRebalanceCompletesWithOneFilledOrderPerLeg() {
        Harness h = harness(List.of());

        RebalanceOutcome outcome = rebalance(h);

        assertThat(outcome.status()).isEqualTo(TransactionStatus.COMPLETED);
        assertThat(statuses(outcome)).containsExactly(
                Map.entry("buy-DBC", OrderResult.Status.SUCCESS),
                Map.entry("buy-GLD", OrderResult.Status.SUCCESS),
                Map.entry("buy-IEF", OrderResult.Status.SUCCESS),
                Map.entry("buy-TLT", OrderResult.Status.SUCCESS),
                Map.entry("sell-VTI", OrderResult.Status.SUCCESS));
        assertThat(outcome.reconciliation().withinTolerance()).isTrue();
        assertThat(outcome.reconciliation().brokerAgrees()).isTrue();
        assertThat(h.exchange.orderLog()).hasSize(5).allSatisfy(o -> assertThat(o.state()).isEqualTo(OrderState.FILLED));
        assertWhole(h);
    }

    @Test
    void aPartlyFilledSellScalesTheBuysDownToTheCashItFreed() {
        Harness h = harness(List.of(onSubmit(FaultRule.partialFill(n("0.5")), "VTI")));

        RebalanceOutcome outcome = rebalance(h);

        assertThat(outcome.status()).isEqualTo(TransactionStatus.PARTIAL);
        BuysSized sized = h.events(outcome.txId()).stream().filter(BuysSized.class::isInstance)
                .map(BuysSized.class::cast).findFirst().orElseThrow();
        assertThat(sized.scale()).isLessThan(BigDecimal.ONE);
        BigDecimal total = sized.buys().stream().map(b -> b.estimatedNotional()).reduce(BigDecimal.ZERO,
                BigDecimal::add);
        assertThat(total).isLessThanOrEqualTo(sized.cashAvailable());
        assertThat(outcome.results()).noneMatch(r -> r.errorCode() == ErrorCode.INSUFFICIENT_BUYING_POWER);
        assertThat(h.exchange.accountSnapshot(Harness.ACCOUNT).cash()).isGreaterThanOrEqualTo(BigDecimal.ZERO);
        assertWhole(h);
    }

    @Test
    void aRefusedBuyFailsAloneAndTheRebalanceEndsPartial() {
        Harness h = harness(List.of(onSubmit(FaultRule.reject(RejectReason.INSUFFICIENT_BUYING_POWER), "GLD")));

        RebalanceOutcome outcome = rebalance(h);

        assertThat(outcome.status()).isEqualTo(TransactionStatus.PARTIAL);
        assertThat(statuses(outcome)).containsEntry("buy-GLD", OrderResult.Status.FAILED)
                .containsEntry("buy-DBC", OrderResult.Status.SUCCESS)
                .containsEntry("buy-IEF", OrderResult.Status.SUCCESS)
                .containsEntry("buy-TLT", OrderResult.Status.SUCCESS)
                .containsEntry("sell-VTI", OrderResult.Status.SUCCESS);
        assertThat(h.orderEvents(outcome.txId(), "buy-GLD")).containsExactly(
                "intent BUY GLD",
                "attempt 1 failed INSUFFICIENT_BUYING_POWER REFUSED",
                "failed REJECTED INSUFFICIENT_BUYING_POWER");
        assertThat(h.exchangeOrdersFor(outcome.txId() + ":buy-GLD")).isZero();
        assertThat(h.notified).singleElement().satisfies(n -> assertThat(n.body()).contains("GLD"));
        assertWhole(h);
    }

    /** The code of the lost answer is the transport's (a timeout in process, a dropped connection over HTTP). */
    @Test
    void anAnswerLostAfterAcceptIsResolvedByLookupWithOneOrderAtTheExchange() {
        Harness h = harness(List.of(onSubmit(FaultRule.timeoutAfterAccept(), "TLT").withTimes(1)));

        RebalanceOutcome outcome = rebalance(h);

        assertThat(outcome.status()).isEqualTo(TransactionStatus.COMPLETED);
        List<String> tlt = h.orderEvents(outcome.txId(), "buy-TLT");
        assertThat(tlt).hasSize(4);
        assertThat(tlt.get(0)).isEqualTo("intent BUY TLT");
        assertThat(tlt.get(1)).startsWith("attempt 1 failed ").endsWith(" AMBIGUOUS");
        assertThat(tlt.subList(2, 4)).containsExactly("lookup FOUND within grace", "broker FILLED");
        assertThat(h.exchangeOrdersFor(outcome.txId() + ":buy-TLT")).isEqualTo(1);
        assertWhole(h);
    }

    @Test
    void aRateLimitIsWaitedOutForItsRetryAfterThenTheOrderGoesThrough() {
        Harness h = harness(List.of(onSubmit(FaultRule.rateLimited(Duration.ofSeconds(5)), "DBC").withTimes(1)));

        RebalanceOutcome outcome = rebalance(h);

        assertThat(outcome.status()).isEqualTo(TransactionStatus.COMPLETED);
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
        assertWhole(h);
    }

    // ---- the order operations

    @Test
    void aBracketEntryFillsAndTheExchangeHoldsItsProtectivePair() {
        Harness h = harness(List.of());

        OperationOutcome outcome = h.engine().operate(Harness.ACCOUNT, OperationType.BRACKET_ORDER,
                OperationParams.bracket(IEF, n("10"), null, n("90"), null, n("105")), null);

        assertThat(outcome.state()).isEqualTo(OperationState.COMPLETED);
        String tx = outcome.txId();
        assertThat(BracketScenariosTest.orderLog(h)).containsExactly(
                tx + ":entry BUY MARKET 10 FILLED SIMPLE",
                tx + ":protect-1 SELL LIMIT 10 ACCEPTED OCO",
                tx + ":protect-1:sl SELL STOP 10 ACCEPTED OCO");
        assertThat(BracketScenariosTest.held(h, IEF)).isEqualByComparingTo("10");
        BracketScenariosTest.assertProtectedOrFlat(h);
        assertWhole(h);
    }

    @Test
    void anOcoPairProtectsTheHeldPosition() {
        Harness h = harness(List.of());

        OperationOutcome outcome = h.engine().operate(Harness.ACCOUNT, OperationType.OCO_PAIR,
                OperationParams.oco(VTI, n("50"), n("240"), null, n("270")), null);

        assertThat(outcome.state()).isEqualTo(OperationState.COMPLETED);
        String tx = outcome.txId();
        assertThat(BracketScenariosTest.orderLog(h)).containsExactly(
                tx + ":protect-1 SELL LIMIT 50 ACCEPTED OCO",
                tx + ":protect-1:sl SELL STOP 50 ACCEPTED OCO");
        assertWhole(h);
    }

    @Test
    void closingAPositionCancelsItsOpenSellThenSellsAllOfIt() {
        Harness h = harness(List.of());
        String resting = h.restingOrder("rest-1", "sell-vti", OrderSpec.limit(VTI, Side.SELL, n("20"), n("300"),
                TimeInForce.GTC));

        OperationOutcome outcome = h.engine().operate(Harness.ACCOUNT, OperationType.POSITION_CLOSE,
                OperationParams.close(VTI, null), null);

        assertThat(outcome.state()).isEqualTo(OperationState.COMPLETED);
        assertThat(BracketScenariosTest.held(h, VTI)).isZero();
        assertThat(BracketScenariosTest.orderLog(h)).containsExactly(
                resting + " SELL LIMIT 20 CANCELLED SIMPLE",
                outcome.txId() + ":close SELL MARKET 50 FILLED SIMPLE");
        assertWhole(h);
    }

    @Test
    void aBulkCancelCancelsEveryOpenOrderKnownOrNot() {
        Harness h = harness(List.of());
        String known = h.restingOrder("rest-1", "buy-tlt", OrderSpec.limit(TLT, Side.BUY, n("5"), n("80"),
                TimeInForce.GTC));
        h.brokerDecorator.apply(null).submit("by-hand-1", OrderSpec.limit(VTI, Side.SELL, n("5"), n("300"),
                TimeInForce.GTC));

        OperationOutcome outcome = h.engine().operate(Harness.ACCOUNT, OperationType.BULK_CANCEL,
                OperationParams.cancelAll(null), null);

        assertThat(outcome.state()).isEqualTo(OperationState.COMPLETED);
        assertThat(outcome.orders()).extracting(l -> l.clientOrderId() + " " + l.outcome())
                .containsExactlyInAnyOrder(known + " CANCELLED", "by-hand-1 CANCELLED");
        assertThat(h.exchange.orderLog()).allSatisfy(o -> assertThat(o.state()).isEqualTo(OrderState.CANCELLED));
        assertWhole(h, "by-hand-1");
    }

    @Test
    void aModificationReplacesTheOrderWithTheNewQuantityAndPrice() {
        Harness h = harness(List.of());
        String old = h.restingOrder("rest-1", "buy-tlt", OrderSpec.limit(TLT, Side.BUY, n("5"), n("80"),
                TimeInForce.GTC));

        OperationOutcome outcome = h.engine().operate(Harness.ACCOUNT, OperationType.ORDER_MODIFICATION,
                OperationParams.modify(old, n("8"), n("82"), null), null);

        assertThat(outcome.state()).isEqualTo(OperationState.COMPLETED);
        List<String> atExchange = new ArrayList<>();
        for (ExchangeOrderLogEntry o : h.exchange.orderLog()) {
            atExchange.add(o.clientOrderId() + " " + o.state() + " " + o.spec().quantity().stripTrailingZeros()
                    .toPlainString() + " @ " + o.spec().limitPrice().stripTrailingZeros().toPlainString());
        }
        assertThat(atExchange).containsExactly(old + " CANCELLED 5 @ 80",
                outcome.txId() + ":replace ACCEPTED 8 @ 82");
        assertWhole(h);
    }
}
