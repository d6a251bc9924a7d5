package dev.keel.core.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.journal.TransactionStarted;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.IllegalStateTransitionException;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionLedgerTest {
    private static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");
    private final MemoryJournal journal = new MemoryJournal();
    private final OperationContext ctx = new OperationContext("tx-1", "main", "tx-1");

    /** Finding 5: an event the fold would refuse fails its writer and is never journaled, so no restart trips on it. */
    @Test
    void anEventTheFoldRefusesIsNotJournaled() {
        TransactionLedger ledger = new TransactionLedger(journal, ctx, new TransactionView());
        OrderSpec spec = OrderSpec.marketQty(Symbol.of("VTI"), Side.SELL, BigDecimal.ONE);
        ledger.recordAll(List.of(new TransactionStarted("tx-1", "main", "rebalance", "tx-1", List.of(),
                new AccountSnapshot("main", BigDecimal.ZERO, BigDecimal.ZERO, List.of(), T0), BigDecimal.ZERO, T0),
                new OrderIntentRecorded("tx-1", "main", "sell-VTI", "tx-1:sell-VTI", spec, T0)));
        ledger.record(new OrderUpdated("tx-1", "main", "tx-1:sell-VTI", "b-1", OrderState.FILLED, BigDecimal.ONE,
                BigDecimal.TEN, T0));
        long before = journal.lastSequence();

        assertThatThrownBy(() -> ledger.record(new OrderUpdated("tx-1", "main", "tx-1:sell-VTI", "b-1",
                OrderState.ACCEPTED, BigDecimal.ZERO, null, T0))).isInstanceOf(IllegalStateTransitionException.class);

        assertThat(journal.lastSequence()).isEqualTo(before);
        assertThat(TransactionView.fold(journal.stream("tx-1")).order("tx-1:sell-VTI").state())
                .isEqualTo(OrderState.FILLED);
        assertThat(ledger.position().lastSequence()).isEqualTo(before);
    }
}
