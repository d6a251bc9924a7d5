package dev.keel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.journal.OrdersLinked;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.Symbol;
import dev.keel.core.ops.OperationOutcome;
import dev.keel.paper.BrokerCall;
import dev.keel.paper.FaultRule;
import dev.keel.paper.RejectReason;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OCO operation of issue 4: protect the 50 VTI the account holds (250.00) with a stop at 240, a target at 270. */
class OcoScenariosTest {
    static final Symbol VTI = Symbol.of("VTI");

    @TempDir
    Path dir;

    static OperationParams oco(String quantity) {
        return OperationParams.oco(VTI, new BigDecimal(quantity), new BigDecimal("240"), null, new BigDecimal("270"));
    }

    static OperationOutcome operate(Harness h, OperationParams params) {
        return h.engine().operate(Harness.ACCOUNT, OperationType.OCO_PAIR, params, null);
    }

    static FaultRule onSubmit(FaultRule rule, int nth) {
        return rule.withOp(BrokerCall.SUBMIT).withSymbol(VTI).withNth(nth);
    }

    @Test
    void theBrokerHoldsThePair() {
        try (Harness h = new Harness(dir, List.of())) {
            OperationOutcome outcome = operate(h, oco("50"));
            String tx = outcome.txId();

            assertThat(outcome.state()).isEqualTo(OperationState.COMPLETED);
            assertThat(h.eventKinds(tx)).containsExactly(
                    "TransactionStarted", "OperationRequested", "OperationStateChanged", "OperationStateChanged",
                    "OrderIntentRecorded", "OrderIntentRecorded", "OrdersLinked",
                    "OrderUpdated", "OrderLookedUp", "OrderUpdated",
                    "OperationStateChanged", "TransactionEnded", "OrdersWorking");
            assertThat(BracketScenariosTest.orderLog(h)).containsExactly(
                    tx + ":protect-1 SELL LIMIT 50 ACCEPTED OCO",
                    tx + ":protect-1:sl SELL STOP 50 ACCEPTED OCO");
            assertThat(BracketScenariosTest.links(h, tx)).extracting(OrdersLinked::heldByBroker).containsExactly(true);
        }
    }

    @Test
    void keelEmulatesThePairWhereTheBrokerCannotHoldIt() {
        try (Harness h = new Harness(dir, List.of(), b -> b.orderClasses(false))) {
            OperationOutcome outcome = operate(h, oco("20"));
            String tx = outcome.txId();

            assertThat(outcome.state()).isEqualTo(OperationState.COMPLETED);
            assertThat(BracketScenariosTest.orderLog(h)).containsExactly(
                    tx + ":protect-1-tp SELL LIMIT 20 ACCEPTED SIMPLE",
                    tx + ":protect-1-sl SELL STOP 20 ACCEPTED SIMPLE");
            assertThat(BracketScenariosTest.links(h, tx)).singleElement().satisfies(l -> {
                assertThat(l.heldByBroker()).isFalse();
                assertThat(l.takeProfitOrderId()).isEqualTo(tx + ":protect-1-tp");
                assertThat(l.stopLossOrderId()).isEqualTo(tx + ":protect-1-sl");
            });
        }
    }

    @Test
    void aRejectedStopCancelsThePlacedTakeProfitAndRollsBack() {
        try (Harness h = new Harness(dir, List.of(onSubmit(FaultRule.reject(RejectReason.INVALID_ORDER), 2)),
                b -> b.orderClasses(false))) {
            OperationOutcome outcome = operate(h, oco("50"));
            String tx = outcome.txId();

            assertThat(outcome.state()).isEqualTo(OperationState.ROLLED_BACK);
            assertThat(BracketScenariosTest.states(h, tx)).containsExactly("PENDING", "IN_PROGRESS", "ROLLING_BACK",
                    "ROLLED_BACK");
            assertThat(BracketScenariosTest.orderLog(h)).containsExactly(
                    tx + ":protect-1-tp SELL LIMIT 50 CANCELLED SIMPLE");
            assertThat(h.eventKinds(tx)).containsExactly(
                    "TransactionStarted", "OperationRequested", "OperationStateChanged", "OperationStateChanged",
                    "OrderIntentRecorded", "OrderIntentRecorded", "OrdersLinked",
                    "OrderUpdated", "OrderAttemptFailed", "OrderFailed",
                    "OperationStateChanged",
                    "OrderCancelRequested", "OrderUpdated", "OrderOutcomeRecorded", "OrderOutcomeRecorded",
                    "OrdersUnlinked",
                    "OperationStateChanged", "TransactionEnded", "OrdersWorking");
            assertThat(h.notified).singleElement().satisfies(n -> assertThat(n.severity())
                    .isEqualTo(dev.keel.core.error.Severity.HIGH));
        }
    }

    @Test
    void aRefusedBrokerHeldPairFailsWithNothingPlaced() {
        try (Harness h = new Harness(dir, List.of(onSubmit(FaultRule.reject(RejectReason.INVALID_ORDER), 1)))) {
            OperationOutcome outcome = operate(h, oco("50"));
            String tx = outcome.txId();

            assertThat(outcome.state()).isEqualTo(OperationState.FAILED);
            assertThat(outcome.code()).isEqualTo(ErrorCode.INVALID_ORDER);
            assertThat(h.orderEvents(tx, "protect-1:sl")).containsExactly(
                    "intent SELL VTI", "attempt 1 failed INVALID_ORDER REFUSED", "failed REJECTED INVALID_ORDER");
            assertThat(h.exchange.orderLog()).isEmpty();
        }
    }

    @Test
    void protectingMoreThanIsHeldIsRefused() {
        try (Harness h = new Harness(dir, List.of())) {
            assertThatThrownBy(() -> operate(h, oco("60"))).isInstanceOf(KeelException.class)
                    .hasMessage("quantity must be at most the 50 VTI the account holds, but was 60")
                    .extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.INVALID_ORDER);
            assertThatThrownBy(() -> operate(h, OperationParams.oco(VTI, BigDecimal.TEN, new BigDecimal("270"), null,
                    new BigDecimal("240")))).isInstanceOf(KeelException.class)
                    .hasMessageStartingWith("stopPrice must be below targetPrice");
            assertThat(h.exchange.orderLog()).isEmpty();
        }
    }
}
