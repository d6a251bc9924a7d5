package dev.keel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.error.Severity;
import dev.keel.core.journal.OperationStateChanged;
import dev.keel.core.journal.OrdersLinked;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.OrderClass;
import dev.keel.core.model.OrderOutcome;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.OrderType;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TradingState;
import dev.keel.core.ops.OperationOutcome;
import dev.keel.paper.BrokerCall;
import dev.keel.paper.ExchangeOrderLogEntry;
import dev.keel.paper.FaultRule;
import dev.keel.paper.RejectReason;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bracket order of issue 4 against the paper exchange: buy IEF (none held, 95.00), protect what filled with a
 * stop at 90 and a target at 105, one cancelling the other; with partial fills, rejections, timeouts after acceptance
 * and crashes between any two steps, asserting whole event lists.
 */
class BracketScenariosTest {
    static final Symbol IEF = Symbol.of("IEF");

    @TempDir
    Path dir;

    static OperationParams bracket(String quantity) {
        return OperationParams.bracket(IEF, new BigDecimal(quantity), null, new BigDecimal("90"), null,
                new BigDecimal("105"));
    }

    static OperationOutcome operate(Harness h, OperationParams params) {
        return h.engine().operate(Harness.ACCOUNT, OperationType.BRACKET_ORDER, params, null);
    }

    static FaultRule onSubmit(FaultRule rule, int nth) {
        return rule.withOp(BrokerCall.SUBMIT).withSymbol(IEF).withNth(nth);
    }

    static List<String> states(Harness h, String txId) {
        return h.events(txId).stream().filter(OperationStateChanged.class::isInstance)
                .map(e -> String.valueOf(((OperationStateChanged) e).to())).toList();
    }

    static List<OrdersLinked> links(Harness h, String txId) {
        return h.events(txId).stream().filter(OrdersLinked.class::isInstance).map(OrdersLinked.class::cast).toList();
    }

    static BigDecimal held(Harness h, Symbol symbol) {
        return h.exchange.accountSnapshot(Harness.ACCOUNT).quantity(symbol);
    }

    /** The exchange's orders as compact lines: client id, side, type, quantity, state, class. */
    static List<String> orderLog(Harness h) {
        return h.exchange.orderLog().stream().map(o -> o.clientOrderId() + " " + o.spec().side() + " "
                + o.spec().type() + " " + o.spec().quantity().stripTrailingZeros().toPlainString() + " " + o.state()
                + " " + o.orderClass()).toList();
    }

    /** Law 2 at the exchange: never two orders for one client order id. */
    static void assertOneOrderPerClientId(Harness h) {
        Map<String, Long> counts = h.exchange.orderLog().stream().collect(Collectors.groupingBy(
                ExchangeOrderLogEntry::clientOrderId, Collectors.counting()));
        assertThat(counts.values()).allMatch(n -> n == 1);
    }

    /**
     * Whatever the exchange holds of IEF is protected: a live take-profit limit and a live stop, each selling exactly
     * the position; or nothing is held.
     */
    static void assertProtectedOrFlat(Harness h) {
        BigDecimal position = held(h, IEF);
        List<ExchangeOrderLogEntry> live = h.exchange.orderLog().stream()
                .filter(o -> o.spec().symbol().equals(IEF) && o.spec().side() == Side.SELL && o.state().isLive())
                .toList();
        if (position.signum() == 0) {
            assertThat(live).isEmpty();
            return;
        }
        assertThat(live).extracting(o -> o.spec().type()).containsExactlyInAnyOrder(OrderType.LIMIT, OrderType.STOP);
        assertThat(live).allMatch(o -> o.spec().quantity().compareTo(position) == 0);
    }

    @Test
    void marketEntryFillsThenTheBrokerHoldsTheProtectiveOco() {
        try (Harness h = new Harness(dir, List.of())) {
            OperationOutcome outcome = operate(h, bracket("10"));
            String tx = outcome.txId();

            assertThat(outcome.state()).isEqualTo(OperationState.COMPLETED);
            assertThat(h.eventKinds(tx)).containsExactly(
                    "TransactionStarted", "OperationRequested", "OperationStateChanged",
                    "OrderIntentRecorded", "OrderUpdated", "OperationStateChanged",
                    "OrderIntentRecorded", "OrderIntentRecorded", "OrdersLinked",
                    "OrderUpdated", "OrderLookedUp", "OrderUpdated",
                    "OperationStateChanged", "TransactionEnded");
            assertThat(states(h, tx)).containsExactly("PENDING", "IN_PROGRESS", "COMPLETED");
            assertThat(orderLog(h)).containsExactly(
                    tx + ":entry BUY MARKET 10 FILLED SIMPLE",
                    tx + ":protect-1 SELL LIMIT 10 ACCEPTED OCO",
                    tx + ":protect-1:sl SELL STOP 10 ACCEPTED OCO");
            assertThat(links(h, tx)).singleElement().satisfies(l -> {
                assertThat(l.link()).isEqualTo("protect-1");
                assertThat(l.takeProfitOrderId()).isEqualTo(tx + ":protect-1");
                assertThat(l.stopLossOrderId()).isEqualTo(tx + ":protect-1:sl");
                assertThat(l.heldByBroker()).isTrue();
            });
            assertThat(h.exchange.orderLog()).filteredOn(o -> o.spec().side() == Side.SELL)
                    .allMatch(o -> o.spec().timeInForce() == dev.keel.core.model.TimeInForce.GTC);
            assertThat(held(h, IEF)).isEqualByComparingTo("10");
            assertThat(h.notified).isEmpty();
        }
    }
}
