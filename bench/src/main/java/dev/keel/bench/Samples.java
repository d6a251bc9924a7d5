package dev.keel.bench;

import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionStarted;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.Position;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TransactionStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Journal events shaped like a real rebalance's: the plan, an intent and a fill per order, the terminal state. */
final class Samples {
    /** When every sample event happened: benchmarks measure wall time, events carry this fixed time. */
    static final Instant T0 = Instant.parse("2026-11-23T15:00:00Z");
    static final List<Symbol> SYMBOLS = List.of(Symbol.of("VTI"), Symbol.of("TLT"), Symbol.of("IEF"),
            Symbol.of("GLD"));
    private static final BigDecimal PRICE = new BigDecimal("101.25");

    private Samples() {
    }

    static OrderIntentRecorded intent(String txId, String accountId, String leg) {
        return new OrderIntentRecorded(txId, accountId, leg, txId + ":" + leg,
                OrderSpec.marketNotional(Symbol.of("VTI"), Side.BUY, new BigDecimal("1234.56")), T0);
    }

    /** A whole rebalance of one account: 10 events (start, 4 intents each with a fill, end). */
    static List<JournalEvent> transaction(String txId, String accountId) {
        List<PlannedOrder> plan = new ArrayList<>();
        for (Symbol s : SYMBOLS) {
            plan.add(new PlannedOrder("buy-" + s, OrderSpec.marketNotional(s, Side.BUY, new BigDecimal("1000.00")),
                    new BigDecimal("1000.00")));
        }
        AccountSnapshot before = new AccountSnapshot(accountId, new BigDecimal("10000.00"),
                new BigDecimal("10000.00"), List.of(new Position(Symbol.of("VTI"), BigDecimal.TEN, PRICE)), T0);
        List<JournalEvent> events = new ArrayList<>();
        events.add(new TransactionStarted(txId, accountId, "rebalance", txId, plan, before,
                new BigDecimal("100.00"), T0));
        for (PlannedOrder o : plan) {
            String cid = txId + ":" + o.leg();
            events.add(new OrderIntentRecorded(txId, accountId, o.leg(), cid, o.spec(), T0));
            events.add(new OrderUpdated(txId, accountId, cid, "b-" + cid, OrderState.FILLED,
                    new BigDecimal("9.876543210"), PRICE, T0));
        }
        events.add(new TransactionEnded(txId, accountId, TransactionStatus.COMPLETED, null, null,
                "4 of 4 orders filled; every symbol within drift threshold", T0));
        return events;
    }
}
