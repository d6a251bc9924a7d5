package dev.keel.scenarios;

import dev.keel.core.account.AccountSession;
import dev.keel.core.account.PlacementBreaker;
import dev.keel.core.execution.SimulationHooks;
import dev.keel.core.broker.Broker;
import dev.keel.core.execution.ClientOrderIds;
import dev.keel.core.execution.OperationContext;
import dev.keel.core.execution.OrderExecutor;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.OperationRequested;
import dev.keel.core.journal.OperationStateChanged;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.journal.OrdersLinked;
import dev.keel.core.journal.TransactionStarted;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TimeInForce;
import dev.keel.core.ops.OperationSupport;
import java.math.BigDecimal;
import java.util.List;

/**
 * An OCO pair transaction journaled and placed the way the OCO saga does it (intents, then the link, then the legs),
 * ended COMPLETED with the pair resting: the state the protection watch takes over. Stands in for the OCO saga in
 * these tests.
 */
final class ProtectivePairs {
    /** Client order ids of one pair. */
    record Pair(String txId, String takeProfit, String stopLoss) {
    }

    private ProtectivePairs() {
    }

    /** Keel emulates the pair: two plain GTC sells, legs {@code protect-1-tp} and {@code protect-1-sl}. */
    static Pair emulated(Harness h, String txId, Symbol symbol, String quantity, String target, String stop) {
        OrderExecutor executor = h.executor();
        TransactionLedger ledger = begin(h, executor, txId, symbol, quantity, target, stop);
        OrderSpec tp = OrderSpec.limit(symbol, Side.SELL, new BigDecimal(quantity), new BigDecimal(target),
                TimeInForce.GTC);
        OrderSpec sl = OrderSpec.stop(symbol, Side.SELL, new BigDecimal(quantity), new BigDecimal(stop),
                TimeInForce.GTC);
        String tpId = ClientOrderIds.derive(txId, "protect-1-tp");
        String slId = ClientOrderIds.derive(txId, "protect-1-sl");
        var now = h.clock.instant();
        ledger.record(new OrderIntentRecorded(txId, Harness.ACCOUNT, "protect-1-tp", tpId, tp, now));
        ledger.record(new OrderIntentRecorded(txId, Harness.ACCOUNT, "protect-1-sl", slId, sl, now));
        ledger.record(new OrdersLinked(txId, Harness.ACCOUNT, "protect-1", tpId, slId, false, now));
        executor.place(ledger, "protect-1-tp", tp);
        executor.place(ledger, "protect-1-sl", sl);
        support(h, executor).finish(ledger, OperationState.COMPLETED, null, "protected", null);
        return new Pair(txId, tpId, slId);
    }

    /** The broker holds the pair (its OCO class): legs {@code protect-1} and {@code protect-1:sl}. */
    static Pair held(Harness h, String txId, Symbol symbol, String quantity, String target, String stop) {
        OrderExecutor executor = h.executor();
        TransactionLedger ledger = begin(h, executor, txId, symbol, quantity, target, stop);
        OrderSpec tp = OrderSpec.limit(symbol, Side.SELL, new BigDecimal(quantity), new BigDecimal(target),
                TimeInForce.GTC);
        OrderSpec sl = OrderSpec.stop(symbol, Side.SELL, new BigDecimal(quantity), new BigDecimal(stop),
                TimeInForce.GTC);
        String tpId = ClientOrderIds.derive(txId, "protect-1");
        String slId = tpId + Broker.STOP_LOSS_SUFFIX;
        var now = h.clock.instant();
        ledger.record(new OrderIntentRecorded(txId, Harness.ACCOUNT, "protect-1", tpId, tp, now));
        ledger.record(new OrderIntentRecorded(txId, Harness.ACCOUNT, "protect-1" + Broker.STOP_LOSS_SUFFIX, slId,
                sl, now));
        ledger.record(new OrdersLinked(txId, Harness.ACCOUNT, "protect-1", tpId, slId, true, now));
        executor.gateway().submitOco(tpId, tp, sl);
        for (String cid : List.of(tpId, slId)) {
            BrokerOrder o = executor.gateway().lookup(cid).orElseThrow();
            ledger.record(new OrderUpdated(txId, Harness.ACCOUNT, cid, o.brokerOrderId(), o.state(),
                    o.filledQuantity(), o.filledAvgPrice(), h.clock.instant()));
        }
        support(h, executor).finish(ledger, OperationState.COMPLETED, null, "protected", null);
        return new Pair(txId, tpId, slId);
    }

    private static TransactionLedger begin(Harness h, OrderExecutor executor, String txId, Symbol symbol,
                                           String quantity, String target, String stop) {
        TransactionLedger ledger = new TransactionLedger(h.journal, new OperationContext(txId, Harness.ACCOUNT, txId),
                new TransactionView());
        var now = h.clock.instant();
        ledger.recordAll(List.of(
                new TransactionStarted(txId, Harness.ACCOUNT, OperationType.OCO_PAIR.operationName(), txId, List.of(),
                        h.exchange.accountSnapshot(Harness.ACCOUNT), BigDecimal.ZERO, now),
                new OperationRequested(txId, Harness.ACCOUNT, OperationType.OCO_PAIR, OperationParams.oco(symbol,
                        new BigDecimal(quantity), new BigDecimal(stop), null, new BigDecimal(target)), now),
                new OperationStateChanged(txId, Harness.ACCOUNT, null, OperationState.PENDING, "requested", now)));
        support(h, executor).move(ledger, OperationState.IN_PROGRESS, "placing the pair");
        return ledger;
    }

    private static OperationSupport support(Harness h, OrderExecutor executor) {
        return new OperationSupport(AccountSession.leased(Harness.ACCOUNT, 0, h.journal, h.outbox(), h.clock,
                PlacementBreaker.NONE, SimulationHooks.NONE), executor, h.clock);
    }
}
