package dev.keel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TimeInForce;
import dev.keel.core.ops.OperationOutcome;
import dev.keel.paper.BrokerCall;
import dev.keel.paper.ExchangeOrderLogEntry;
import dev.keel.paper.FaultRule;
import dev.keel.paper.RejectReason;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Order modification by cancel/replace: the old and the new order never both working, fills during it counted. */
class ModifyScenariosTest {
    private static final String MAIN = Harness.ACCOUNT;
    private static final Symbol TLT = Symbol.of("TLT");
    private static final String OLD = "rest-1:buy-tlt";

    @TempDir
    Path dir;

    private static BigDecimal n(String v) {
        return new BigDecimal(v);
    }

    private static String rest(Harness h, String qty) {
        return h.restingOrder("rest-1", "buy-tlt", OrderSpec.limit(TLT, Side.BUY, n(qty), n("80"), TimeInForce.GTC));
    }

    private static ExchangeOrderLogEntry atExchange(Harness h, String cid) {
        return h.exchange.orderLog().stream().filter(o -> o.clientOrderId().equals(cid)).findFirst().orElse(null);
    }

    @Test
    void quantityAndPriceChangeCancelsTheOldOrderAndPlacesTheNewSpec() {
        try (Harness h = new Harness(dir, List.of())) {
            rest(h, "5");

            OperationOutcome out = h.engine().operate(MAIN, OperationType.ORDER_MODIFICATION,
                    OperationParams.modify(OLD, n("8"), n("82"), null), null);

            assertThat(out.state()).isEqualTo(OperationState.COMPLETED);
            assertThat(OperationLines.of(h.journal, "tx-1")).containsExactly(
                    "started order_modification",
                    "requested ORDER_MODIFICATION",
                    "state null->PENDING",
                    "state PENDING->IN_PROGRESS",
                    "referenced rest-1:buy-tlt owner rest-1 role replace",
                    "outcome rest-1:buy-tlt CANCELLED filled 0",
                    "intent tx-1:replace BUY 8 TLT @ 82",
                    "broker tx-1:replace ACCEPTED 0",
                    "outcome rest-1:buy-tlt REPLACED filled 0",
                    "state IN_PROGRESS->COMPLETED",
                    "ended COMPLETED");
            assertThat(atExchange(h, OLD).state()).isEqualTo(OrderState.CANCELLED);
            assertThat(atExchange(h, "tx-1:replace").spec())
                    .isEqualTo(OrderSpec.limit(TLT, Side.BUY, n("8"), n("82"), TimeInForce.GTC));
        }
    }

    @Test
    void aFillDuringTheReplaceShrinksTheReplacement() {
        List<FaultRule> faults = List.of(FaultRule.partialFill(n("0.4")).withOp(BrokerCall.SUBMIT).withSymbol(TLT)
                .withNth(1));
        try (Harness h = new Harness(dir, faults)) {
            rest(h, "10");
            h.brokerDecorator = b -> new HookedBroker(b, id -> h.exchange.setPrice(TLT, n("79"))); // 4 fill first

            OperationOutcome out = h.engine().operate(MAIN, OperationType.ORDER_MODIFICATION,
                    OperationParams.modify(OLD, null, n("78"), null), null);

            assertThat(out.state()).isEqualTo(OperationState.COMPLETED);
            assertThat(OperationLines.of(h.journal, "tx-1")).containsExactly(
                    "started order_modification",
                    "requested ORDER_MODIFICATION",
                    "state null->PENDING",
                    "state PENDING->IN_PROGRESS",
                    "referenced rest-1:buy-tlt owner rest-1 role replace",
                    "outcome rest-1:buy-tlt CANCELLED filled 4",
                    "intent tx-1:replace BUY 6 TLT @ 78",
                    "broker tx-1:replace ACCEPTED 0",
                    "outcome rest-1:buy-tlt REPLACED filled 4",
                    "state IN_PROGRESS->COMPLETED",
                    "ended COMPLETED");
            assertThat(OperationLines.of(h.journal, "rest-1")).endsWith("cancel rest-1:buy-tlt #1",
                    "broker rest-1:buy-tlt CANCELLED 4");
        }
    }

    @Test
    void anOrderThatFilledCompletelyIsNotReplaced() {
        try (Harness h = new Harness(dir, List.of())) {
            rest(h, "10");
            h.brokerDecorator = b -> new HookedBroker(b, id -> h.exchange.setPrice(TLT, n("79")));

            OperationOutcome out = h.engine().operate(MAIN, OperationType.ORDER_MODIFICATION,
                    OperationParams.modify(OLD, n("12"), null, null), null);

            assertThat(out.state()).isEqualTo(OperationState.FAILED);
            assertThat(out.message()).contains("filled before it could be modified");
            assertThat(OperationLines.of(h.journal, "tx-1")).containsExactly(
                    "started order_modification",
                    "requested ORDER_MODIFICATION",
                    "state null->PENDING",
                    "state PENDING->IN_PROGRESS",
                    "referenced rest-1:buy-tlt owner rest-1 role replace",
                    "outcome rest-1:buy-tlt ALREADY_FILLED filled 10",
                    "state IN_PROGRESS->FAILED",
                    "ended FAILED");
            assertThat(h.exchangeOrdersFor("tx-1:replace")).isZero();
        }
    }

    @Test
    void aCancelThatFailsSendsNoReplacement() {
        List<FaultRule> faults = List.of(FaultRule.serverError().withOp(BrokerCall.CANCEL));
        try (Harness h = new Harness(dir, faults)) {
            rest(h, "5");

            OperationOutcome out = h.engine().operate(MAIN, OperationType.ORDER_MODIFICATION,
                    OperationParams.modify(OLD, null, n("81"), null), null);

            assertThat(out.state()).isEqualTo(OperationState.FAILED);
            assertThat(out.code()).isEqualTo(ErrorCode.BROKER_SERVER_ERROR);
            assertThat(OperationLines.of(h.journal, "tx-1")).containsExactly(
                    "started order_modification",
                    "requested ORDER_MODIFICATION",
                    "state null->PENDING",
                    "state PENDING->IN_PROGRESS",
                    "referenced rest-1:buy-tlt owner rest-1 role replace",
                    "outcome rest-1:buy-tlt FAILED filled 0 BROKER_SERVER_ERROR",
                    "state IN_PROGRESS->FAILED",
                    "ended FAILED BROKER_SERVER_ERROR");
            assertThat(h.exchangeOrdersFor("tx-1:replace")).isZero();
            assertThat(atExchange(h, OLD).state()).isEqualTo(OrderState.ACCEPTED);
            assertThat(h.notified).hasSize(1);
        }
    }

    @Test
    void aRefusedReplacementFailsAndSaysTheOrderIsNoLongerWorking() {
        List<FaultRule> faults = List.of(FaultRule.reject(RejectReason.INSUFFICIENT_BUYING_POWER)
                .withOp(BrokerCall.SUBMIT).withNth(2));
        try (Harness h = new Harness(dir, faults)) {
            rest(h, "5");

            OperationOutcome out = h.engine().operate(MAIN, OperationType.ORDER_MODIFICATION,
                    OperationParams.modify(OLD, null, n("81"), null), null);

            assertThat(out.state()).isEqualTo(OperationState.FAILED);
            assertThat(out.code()).isEqualTo(ErrorCode.INSUFFICIENT_BUYING_POWER);
            assertThat(out.message()).startsWith("the order is no longer working");
            assertThat(OperationLines.of(h.journal, "tx-1")).containsExactly(
                    "started order_modification",
                    "requested ORDER_MODIFICATION",
                    "state null->PENDING",
                    "state PENDING->IN_PROGRESS",
                    "referenced rest-1:buy-tlt owner rest-1 role replace",
                    "outcome rest-1:buy-tlt CANCELLED filled 0",
                    "intent tx-1:replace BUY 5 TLT @ 81",
                    "attempt tx-1:replace #1 INSUFFICIENT_BUYING_POWER",
                    "failed tx-1:replace REJECTED INSUFFICIENT_BUYING_POWER",
                    "outcome rest-1:buy-tlt CANCELLED filled 0 INSUFFICIENT_BUYING_POWER",
                    "state IN_PROGRESS->FAILED",
                    "ended FAILED INSUFFICIENT_BUYING_POWER");
            assertThat(h.notified).hasSize(1);
            assertThat(h.notified.get(0).body()).contains("no longer working");
        }
    }

    @Test
    void modificationSurvivesACrashBetweenAnyTwoSteps() throws Exception {
        for (int crashAt = 1; ; crashAt++) {
            Path run = Files.createDirectories(dir.resolve("run-" + crashAt));
            List<FaultRule> faults = List.of(FaultRule.partialFill(n("0.4")).withOp(BrokerCall.SUBMIT)
                    .withSymbol(TLT).withNth(1));
            try (Harness h = new Harness(run, faults)) {
                rest(h, "10");
                List<String> bothWorking = new ArrayList<>();
                h.brokerDecorator = b -> new HookedBroker(b, id -> h.exchange.setPrice(TLT, n("79")), cid -> {
                    ExchangeOrderLogEntry old = atExchange(h, OLD);
                    if (cid.endsWith(":replace") && old.state().isLive()) {
                        bothWorking.add(cid);
                    }
                });
                CrashingAppends crashing = new CrashingAppends(h.journal, crashAt);
                h.journal = crashing;
                try {
                    h.engine().operate(MAIN, OperationType.ORDER_MODIFICATION,
                            OperationParams.modify(OLD, n("10"), n("78"), null), null);
                } catch (CrashingBroker.Crash expected) {
                    // the process died; a new one starts on the same files
                }
                boolean crashed = crashing.crashed();
                h.reopenJournal();
                h.engine().recover();

                String what = "crash at append " + crashAt;
                assertThat(bothWorking).as(what).isEmpty();
                assertThat(h.exchange.orderLog().stream().collect(Collectors.groupingBy(
                        ExchangeOrderLogEntry::clientOrderId, Collectors.counting())).values()).as(what)
                        .allMatch(c -> c == 1);
                BigDecimal filled = h.exchange.orderLog().stream().map(ExchangeOrderLogEntry::filledQuantity)
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
                BigDecimal working = h.exchange.orderLog().stream().filter(o -> o.state().isLive())
                        .map(o -> o.spec().quantity().subtract(o.filledQuantity()))
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
                assertThat(filled.add(working)).as(what).isLessThanOrEqualTo(n("10"));
                assertThat(h.exchange.orderLog().stream().filter(o -> o.state().isLive())).as(what).hasSizeLessThan(2);
                if (h.journal.transaction("tx-1").isEmpty()) {
                    assertThat(atExchange(h, OLD).state()).as(what).isEqualTo(OrderState.ACCEPTED);
                    continue;
                }
                assertThat(h.ended("tx-1").status()).as(what)
                        .isEqualTo(dev.keel.core.model.TransactionStatus.COMPLETED);
                assertThat(atExchange(h, "tx-1:replace").spec().quantity()).as(what).isEqualByComparingTo("6");
                if (!crashed) {
                    assertThat(crashAt).isGreaterThan(5);
                    return;
                }
            }
        }
    }
}
