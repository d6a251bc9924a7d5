package dev.keel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.engine.Engine;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TimeInForce;
import dev.keel.core.model.TradingState;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.ops.OperationOutcome;
import dev.keel.paper.BrokerCall;
import dev.keel.paper.FaultRule;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bulk cancel and position close over the real journal and paper exchange: per-order results, faults, crashes. */
class CloseAndCancelScenariosTest {
    private static final String MAIN = Harness.ACCOUNT;
    private static final Symbol VTI = Symbol.of("VTI");
    private static final Symbol TLT = Symbol.of("TLT");
    private static final Symbol IEF = Symbol.of("IEF");

    @TempDir
    Path dir;

    private static BigDecimal n(String v) {
        return new BigDecimal(v);
    }

    private static List<String> report(OperationOutcome out) {
        return out.orders().stream().map(l -> l.clientOrderId() + " " + l.outcome()).toList();
    }

    private static BrokerOrder byHand(Harness h, String cid, OrderSpec spec) {
        return h.exchange.broker(MAIN).submit(cid, spec);
    }

    private static List<String> openAtExchange(Harness h) {
        return h.exchange.orderLog().stream().filter(o -> o.state().isLive()).map(o -> o.clientOrderId()).toList();
    }

    @Test
    void bulkCancelReportsEachOrderCancelledOrAlreadyFilled() {
        try (Harness h = new Harness(dir, List.of())) {
            String known = h.restingOrder("rest-1", "buy-tlt", OrderSpec.limit(TLT, Side.BUY, n("5"), n("80"),
                    TimeInForce.GTC));
            byHand(h, "rb-x:leg", OrderSpec.limit(VTI, Side.SELL, n("5"), n("300"), TimeInForce.GTC));
            BrokerOrder filling = byHand(h, "rb-y:leg", OrderSpec.limit(IEF, Side.BUY, n("3"), n("90"),
                    TimeInForce.GTC));
            h.brokerDecorator = b -> new HookedBroker(b, id -> {
                if (id.equals(filling.brokerOrderId())) {
                    h.exchange.setPrice(IEF, n("89")); // it fills just before the cancel arrives
                }
            });

            OperationOutcome out = h.engine().operate(MAIN, OperationType.BULK_CANCEL, OperationParams.cancelAll(null),
                    null);

            assertThat(out.state()).isEqualTo(OperationState.COMPLETED);
            assertThat(report(out)).containsExactly(known + " CANCELLED", "rb-x:leg CANCELLED",
                    "rb-y:leg ALREADY_FILLED");
            assertThat(OperationLines.of(h.journal, "tx-1")).containsExactly(
                    "started bulk_cancel",
                    "requested BULK_CANCEL",
                    "state null->PENDING",
                    "referenced rest-1:buy-tlt owner rest-1 role cancel",
                    "referenced rb-x:leg owner null role cancel",
                    "referenced rb-y:leg owner null role cancel",
                    "state PENDING->IN_PROGRESS",
                    "outcome rest-1:buy-tlt CANCELLED filled 0",
                    "outcome rb-x:leg CANCELLED filled 0",
                    "outcome rb-y:leg ALREADY_FILLED filled 3",
                    "state IN_PROGRESS->COMPLETED",
                    "ended COMPLETED", "working 0 orders 0 links");
            // the journal-known order's own events went to its own transaction
            assertThat(OperationLines.of(h.journal, "rest-1")).containsExactly(
                    "started test_orders",
                    "intent rest-1:buy-tlt BUY 5 TLT @ 80",
                    "broker rest-1:buy-tlt ACCEPTED 0",
                    "ended COMPLETED", "working 1 orders 0 links",
                    "cancel rest-1:buy-tlt #1",
                    "broker rest-1:buy-tlt CANCELLED 0");
            assertThat(openAtExchange(h)).isEmpty();
            assertThat(h.notified).isEmpty();
        }
    }

    @Test
    void bulkCancelOfOneSymbolLeavesTheOthersAndNothingToCancelCompletes() {
        try (Harness h = new Harness(dir, List.of())) {
            byHand(h, "rb-x:leg", OrderSpec.limit(VTI, Side.SELL, n("5"), n("300"), TimeInForce.GTC));
            Engine engine = h.engine();

            OperationOutcome none = engine.operate(MAIN, OperationType.BULK_CANCEL, OperationParams.cancelAll(TLT),
                    null);

            assertThat(none.state()).isEqualTo(OperationState.COMPLETED);
            assertThat(none.message()).isNull();
            assertThat(OperationLines.of(h.journal, none.txId())).containsExactly("started bulk_cancel",
                    "requested BULK_CANCEL", "state null->PENDING", "state PENDING->IN_PROGRESS",
                    "state IN_PROGRESS->COMPLETED", "ended COMPLETED", "working 0 orders 0 links");
            assertThat(h.journal.stream(none.txId()).stream().map(r -> r.event().toString())
                    .filter(s -> s.contains("nothing to cancel")).count()).isEqualTo(1);
            assertThat(openAtExchange(h)).containsExactly("rb-x:leg");
        }
    }

    @Test
    void cancelWhoseAnswerIsLostIsResolvedByLookup() {
        List<FaultRule> faults = List.of(FaultRule.timeoutAfterAccept().withOp(BrokerCall.CANCEL).withTimes(2));
        try (Harness h = new Harness(dir, faults)) {
            String known = h.restingOrder("rest-1", "buy-tlt", OrderSpec.limit(TLT, Side.BUY, n("5"), n("80"),
                    TimeInForce.GTC));
            byHand(h, "rb-x:leg", OrderSpec.limit(VTI, Side.SELL, n("5"), n("300"), TimeInForce.GTC));

            OperationOutcome out = h.engine().operate(MAIN, OperationType.BULK_CANCEL, OperationParams.cancelAll(null),
                    null);

            assertThat(out.state()).isEqualTo(OperationState.COMPLETED);
            assertThat(report(out)).containsExactly(known + " CANCELLED", "rb-x:leg CANCELLED");
            assertThat(OperationLines.of(h.journal, "rest-1")).endsWith(
                    "cancel rest-1:buy-tlt #1",
                    "cancel failed rest-1:buy-tlt #1 BROKER_TIMEOUT",
                    "broker rest-1:buy-tlt CANCELLED 0");
            assertThat(h.exchange.faultsFired()).hasSize(2);
            assertThat(h.exchange.callCounts().get("cancel")).isEqualTo(2); // never a blind second cancel
            assertThat(openAtExchange(h)).isEmpty();
        }
    }

    @Test
    void cancelFailingUntilRetriesAreSpentIsReportedWithItsCodeAndEndsPartial() {
        List<FaultRule> faults = List.of(FaultRule.serverError().withOp(BrokerCall.CANCEL).withSymbol(TLT));
        try (Harness h = new Harness(dir, faults)) {
            String known = h.restingOrder("rest-1", "buy-tlt", OrderSpec.limit(TLT, Side.BUY, n("5"), n("80"),
                    TimeInForce.GTC));
            byHand(h, "rb-x:leg", OrderSpec.limit(VTI, Side.SELL, n("5"), n("300"), TimeInForce.GTC));

            OperationOutcome out = h.engine().operate(MAIN, OperationType.BULK_CANCEL, OperationParams.cancelAll(null),
                    null);

            assertThat(out.state()).isEqualTo(OperationState.PARTIALLY_COMPLETED);
            assertThat(out.code()).isEqualTo(ErrorCode.BROKER_SERVER_ERROR);
            assertThat(report(out)).containsExactly(known + " FAILED", "rb-x:leg CANCELLED");
            assertThat(OperationLines.of(h.journal, "tx-1")).containsExactly(
                    "started bulk_cancel",
                    "requested BULK_CANCEL",
                    "state null->PENDING",
                    "referenced rest-1:buy-tlt owner rest-1 role cancel",
                    "referenced rb-x:leg owner null role cancel",
                    "state PENDING->IN_PROGRESS",
                    "outcome rest-1:buy-tlt FAILED filled 0 BROKER_SERVER_ERROR",
                    "outcome rb-x:leg CANCELLED filled 0",
                    "state IN_PROGRESS->PARTIALLY_COMPLETED",
                    "ended PARTIAL BROKER_SERVER_ERROR", "working 0 orders 0 links");
            assertThat(OperationLines.of(h.journal, "rest-1").stream().filter(l -> l.startsWith("cancel failed")))
                    .containsExactly("cancel failed rest-1:buy-tlt #1 BROKER_SERVER_ERROR",
                            "cancel failed rest-1:buy-tlt #2 BROKER_SERVER_ERROR",
                            "cancel failed rest-1:buy-tlt #3 BROKER_SERVER_ERROR",
                            "cancel failed rest-1:buy-tlt #4 BROKER_SERVER_ERROR");
            assertThat(openAtExchange(h)).containsExactly(known);
            assertThat(h.notified).hasSize(1);
            assertThat(h.notified.get(0).title()).contains("PARTIALLY_COMPLETED");
        }
    }

    @Test
    void closeCancelsTheOpenSellThenSellsTheWholePosition() {
        try (Harness h = new Harness(dir, List.of())) {
            h.restingOrder("rest-1", "sell-vti", OrderSpec.limit(VTI, Side.SELL, n("20"), n("300"), TimeInForce.GTC));

            OperationOutcome out = h.engine().operate(MAIN, OperationType.POSITION_CLOSE,
                    OperationParams.close(VTI, null), null);

            assertThat(out.state()).isEqualTo(OperationState.COMPLETED);
            assertThat(OperationLines.of(h.journal, "tx-1")).containsExactly(
                    "started position_close",
                    "requested POSITION_CLOSE",
                    "state null->PENDING",
                    "referenced rest-1:sell-vti owner rest-1 role cancel",
                    "state PENDING->IN_PROGRESS",
                    "outcome rest-1:sell-vti CANCELLED filled 0",
                    "intent tx-1:close SELL 50 VTI",
                    "broker tx-1:close FILLED 50",
                    "outcome tx-1:close CLOSED filled 50",
                    "state IN_PROGRESS->COMPLETED",
                    "ended COMPLETED", "working 0 orders 0 links");
            assertThat(h.exchange.accountSnapshot(MAIN).quantity(VTI)).isZero();
        }
    }

    @Test
    void closeThatFillsInPartEndsPartialWithWhatWasSold() {
        List<FaultRule> faults = List.of(FaultRule.partialFill(n("0.4")).withOp(BrokerCall.SUBMIT).withSymbol(VTI));
        try (Harness h = new Harness(dir, faults)) {
            OperationOutcome out = h.engine().operate(MAIN, OperationType.POSITION_CLOSE,
                    OperationParams.close(VTI, null), null);

            assertThat(out.state()).isEqualTo(OperationState.PARTIALLY_COMPLETED);
            assertThat(out.code()).isEqualTo(ErrorCode.ORDER_NOT_FILLED);
            assertThat(OperationLines.of(h.journal, "tx-1")).containsExactly(
                    "started position_close",
                    "requested POSITION_CLOSE",
                    "state null->PENDING",
                    "state PENDING->IN_PROGRESS",
                    "intent tx-1:close SELL 50 VTI",
                    "broker tx-1:close PARTIALLY_FILLED 20",
                    "cancel tx-1:close #1", // the fill-timeout cancel, journaled before it is sent (law 3)
                    "broker tx-1:close CANCELLED 20",
                    "outcome tx-1:close CLOSED filled 20",
                    "state IN_PROGRESS->PARTIALLY_COMPLETED",
                    "ended PARTIAL ORDER_NOT_FILLED", "working 0 orders 0 links");
            assertThat(out.message()).startsWith("sold 20 of 50 VTI");
            assertThat(h.exchange.accountSnapshot(MAIN).quantity(VTI)).isEqualByComparingTo("30");
        }
    }

    @Test
    void closeOnAHaltedAccountStillSells() {
        try (Harness h = new Harness(dir, List.of())) {
            Engine engine = h.engine();
            engine.halt(MAIN, "operator looks at a mismatch");

            OperationOutcome out = engine.operate(MAIN, OperationType.POSITION_CLOSE,
                    OperationParams.close(VTI, n("10")), null);

            assertThat(out.state()).isEqualTo(OperationState.COMPLETED);
            assertThat(report(out)).containsExactly(out.txId() + ":close CLOSED");
            assertThat(h.exchange.accountSnapshot(MAIN).quantity(VTI)).isEqualByComparingTo("40");
            assertThat(engine.status(MAIN).state()).isEqualTo(TradingState.HALTED);
        }
    }

    @Test
    void closeOfAFlatPositionCompletesWithNothingHeld() {
        try (Harness h = new Harness(dir, List.of())) {
            OperationOutcome out = h.engine().operate(MAIN, OperationType.POSITION_CLOSE,
                    OperationParams.close(IEF, null), null);

            assertThat(out.state()).isEqualTo(OperationState.COMPLETED);
            assertThat(out.orders()).isEmpty();
            assertThat(h.exchange.orderLog()).isEmpty();
        }
    }

    @Test
    void closeRefusesANonPositiveQuantityBeforeJournalingAnything() {
        try (Harness h = new Harness(dir, List.of())) {
            // a refusal before anything is journaled reaches the caller as the error it is; nothing is sent
            assertThatThrownBy(() -> h.engine().operate(MAIN, OperationType.POSITION_CLOSE,
                    OperationParams.close(VTI, n("0")), null))
                    .isInstanceOf(dev.keel.core.error.KeelException.class)
                    .hasMessageContaining("quantity must be positive");
            assertThat(h.journal.transaction("tx-1")).isEmpty();
            assertThat(h.exchange.orderLog()).isEmpty();
        }
    }

    @Test
    void closeSurvivesACrashBetweenAnyTwoSteps() throws Exception {
        for (int crashAt = 1; ; crashAt++) {
            Path run = Files.createDirectories(dir.resolve("run-" + crashAt));
            try (Harness h = new Harness(run, List.of())) {
                String known = h.restingOrder("rest-1", "sell-vti", OrderSpec.limit(VTI, Side.SELL, n("20"),
                        n("300"), TimeInForce.GTC));
                byHand(h, "rb-x:leg", OrderSpec.limit(VTI, Side.SELL, n("5"), n("310"), TimeInForce.GTC));
                CrashingAppends crashing = new CrashingAppends(h.journal, crashAt);
                h.journal = crashing;
                try {
                    h.engine().operate(MAIN, OperationType.POSITION_CLOSE, OperationParams.close(VTI, null), null);
                } catch (CrashingBroker.Crash expected) {
                    // the process died; a new one starts on the same files
                }
                boolean crashed = crashing.crashed();
                h.reopenJournal();
                h.engine().recover();

                String what = "crash at append " + crashAt;
                if (h.journal.transaction("tx-1").isEmpty()) {
                    // died before the request was durable: nothing was sent
                    assertThat(openAtExchange(h)).as(what).containsExactly(known, "rb-x:leg");
                    continue;
                }
                assertThat(h.ended("tx-1").status()).as(what).isEqualTo(TransactionStatus.COMPLETED);
                assertThat(h.exchange.orderLog().stream().collect(Collectors.groupingBy(o -> o.clientOrderId(),
                        Collectors.counting())).values()).as(what).allMatch(c -> c == 1);
                assertThat(openAtExchange(h)).as(what).isEmpty();
                assertThat(h.exchange.accountSnapshot(MAIN).quantity(VTI)).as(what).isZero();
                assertThat(h.exchangeOrdersFor("tx-1:close")).as(what).isEqualTo(1);
                assertThat(OperationLines.of(h.journal, "tx-1")).as(what).contains(
                        "outcome " + known + " CANCELLED filled 0", "outcome rb-x:leg CANCELLED filled 0",
                        "outcome tx-1:close CLOSED filled 50");
                if (!crashed) {
                    assertThat(crashAt).isGreaterThan(5);
                    return;
                }
            }
        }
    }

    @Test
    void bulkCancelSurvivesACrashBetweenAnyTwoSteps() throws Exception {
        for (int crashAt = 1; ; crashAt++) {
            Path run = Files.createDirectories(dir.resolve("run-" + crashAt));
            try (Harness h = new Harness(run, List.of())) {
                h.restingOrder("rest-1", "buy-tlt", OrderSpec.limit(TLT, Side.BUY, n("5"), n("80"),
                        TimeInForce.GTC));
                byHand(h, "rb-x:leg", OrderSpec.limit(VTI, Side.SELL, n("5"), n("300"), TimeInForce.GTC));
                CrashingAppends crashing = new CrashingAppends(h.journal, crashAt);
                h.journal = crashing;
                try {
                    h.engine().operate(MAIN, OperationType.BULK_CANCEL, OperationParams.cancelAll(null), null);
                } catch (CrashingBroker.Crash expected) {
                    // the process died; a new one starts on the same files
                }
                boolean crashed = crashing.crashed();
                h.reopenJournal();
                h.engine().recover();

                String what = "crash at append " + crashAt;
                if (h.journal.transaction("tx-1").isEmpty()) {
                    assertThat(openAtExchange(h)).as(what).containsExactly("rest-1:buy-tlt", "rb-x:leg");
                    continue;
                }
                assertThat(h.ended("tx-1").status()).as(what).isEqualTo(TransactionStatus.COMPLETED);
                assertThat(openAtExchange(h)).as(what).isEmpty();
                assertThat(OperationLines.of(h.journal, "tx-1").stream().filter(l -> l.startsWith("outcome")))
                        .as(what).containsExactly("outcome rest-1:buy-tlt CANCELLED filled 0",
                                "outcome rb-x:leg CANCELLED filled 0");
                assertThat(OperationLines.of(h.journal, "rest-1").stream()
                        .filter(l -> l.startsWith("broker rest-1:buy-tlt CANCELLED"))).as(what).hasSize(1);
                if (!crashed) {
                    assertThat(crashAt).isGreaterThan(5);
                    return;
                }
            }
        }
    }
}
