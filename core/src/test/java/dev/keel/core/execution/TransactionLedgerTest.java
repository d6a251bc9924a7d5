package dev.keel.core.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.journal.Fence;
import dev.keel.core.journal.ForwardingJournal;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.journal.OrdersWorking;
import dev.keel.core.journal.StreamMovedException;
import dev.keel.core.journal.StreamPosition;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionStarted;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.IllegalStateTransitionException;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TransactionStatus;
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

    /**
     * The index of working orders: the batch that ends a transaction carries what it leaves working, after
     * everything else of it; an order resting at the broker keeps the transaction watched.
     */
    @Test
    void theEndingSaysWhatItLeavesWorking() {
        TransactionLedger ledger = started(journal);
        ledger.recordSoon(new OrderUpdated("tx-1", "main", "tx-1:sell-VTI", "b-1", OrderState.ACCEPTED,
                BigDecimal.ZERO, null, T0));

        ledger.recordAll(List.of(new TransactionEnded("tx-1", "main", TransactionStatus.PARTIAL, null, null, null,
                T0.plusSeconds(1))));

        List<JournalEvent> written = journal.stream("tx-1").stream().map(JournalRecord::event).toList();
        assertThat(written.getLast()).isEqualTo(new OrdersWorking("tx-1", "main", 1, 0, T0.plusSeconds(1)));
        assertThat(written.get(written.size() - 2)).isInstanceOf(TransactionEnded.class);
        assertThat(journal.transaction("tx-1").orElseThrow().working()).isEqualTo(1);
        assertThat(ledger.view().saysWorking()).isTrue();

        ledger.record(new OrderUpdated("tx-1", "main", "tx-1:sell-VTI", "b-1", OrderState.FILLED, BigDecimal.ONE,
                BigDecimal.TEN, T0.plusSeconds(2)));
        assertThat(journal.transaction("tx-1").orElseThrow().working()).as("unsaid after a later record").isNull();
        ledger.recordWorking(T0.plusSeconds(3));
        assertThat(journal.transaction("tx-1").orElseThrow().settled()).isTrue();
        assertThat(ledger.view().saysWorking()).isTrue();
    }

    /**
     * Two writers meet on one ended transaction: the watch's note of what is working is made from its view, so it
     * is refused when another writer's record landed after that view was read (its order may be live again).
     */
    @Test
    void aNoteOfWhatIsWorkingFromAViewThatMissedARecordIsRefused() {
        TransactionLedger writer = started(journal);
        writer.record(new OrderUpdated("tx-1", "main", "tx-1:sell-VTI", "b-1", OrderState.ACCEPTED,
                BigDecimal.ZERO, null, T0));
        writer.recordAll(List.of(new TransactionEnded("tx-1", "main", TransactionStatus.PARTIAL, null, null, null,
                T0.plusSeconds(1))));
        writer.record(new OrderUpdated("tx-1", "main", "tx-1:sell-VTI", "b-1", OrderState.PARTIALLY_FILLED,
                new BigDecimal("0.5"), BigDecimal.TEN, T0.plusSeconds(2)));
        TransactionLedger stale = new TransactionLedger(journal, ctx, TransactionView.fold(journal.stream("tx-1")));
        writer.record(new OrderUpdated("tx-1", "main", "tx-1:sell-VTI", "b-1", OrderState.FILLED, BigDecimal.ONE,
                BigDecimal.TEN, T0.plusSeconds(3)));
        assertThat(stale.view().workingOrders()).as("the stale view still has the order working").isEqualTo(1);

        assertThatThrownBy(() -> stale.recordWorking(T0.plusSeconds(4))).isInstanceOf(StreamMovedException.class);

        assertThat(journal.transaction("tx-1").orElseThrow().working()).isNull();
        writer.recordWorking(T0.plusSeconds(5));
        assertThat(journal.transaction("tx-1").orElseThrow().settled()).isTrue();
    }

    /** Refuses every append while {@code refuse} is set. */
    private static final class RefusingJournal extends ForwardingJournal {
        boolean refuse;

        RefusingJournal(Journal delegate) {
            super(delegate);
        }

        @Override
        public List<JournalRecord> appendAll(List<? extends JournalEvent> events, List<StreamPosition> expected,
                                             Fence fence) {
            if (refuse) {
                throw new KeelException(ErrorCode.JOURNAL_WRITE_FAILED, "disk full");
            }
            return super.appendAll(events, expected, fence);
        }
    }

    private TransactionLedger started(Journal into) {
        TransactionLedger ledger = new TransactionLedger(into, ctx, new TransactionView());
        ledger.recordAll(List.of(new TransactionStarted("tx-1", "main", "rebalance", "tx-1", List.of(),
                new AccountSnapshot("main", BigDecimal.ZERO, BigDecimal.ZERO, List.of(), T0), BigDecimal.ZERO, T0),
                new OrderIntentRecorded("tx-1", "main", "sell-VTI", "tx-1:sell-VTI",
                        OrderSpec.marketQty(Symbol.of("VTI"), Side.SELL, BigDecimal.ONE), T0)));
        return ledger;
    }

    private static OrderUpdated filled() {
        return new OrderUpdated("tx-1", "main", "tx-1:sell-VTI", "b-1", OrderState.FILLED, BigDecimal.ONE,
                BigDecimal.TEN, T0);
    }

    private static OrderIntentRecorded buyIntent() {
        return new OrderIntentRecorded("tx-1", "main", "buy-TLT", "tx-1:buy-TLT",
                OrderSpec.marketQty(Symbol.of("TLT"), Side.BUY, BigDecimal.ONE), T0);
    }

    /** Issue 15: a broker's answer recorded soon is in the view at once and journaled with the next append. */
    @Test
    void anAnswerRecordedSoonIsSeenAtOnceAndWrittenWithTheNextAppend() {
        TransactionLedger ledger = started(journal);
        long before = journal.lastSequence();

        ledger.recordSoon(filled());
        assertThat(ledger.view().order("tx-1:sell-VTI").state()).isEqualTo(OrderState.FILLED);
        assertThat(journal.lastSequence()).as("not written yet").isEqualTo(before);

        ledger.record(buyIntent());
        assertThat(journal.stream("tx-1")).extracting(r -> r.event().getClass().getSimpleName())
                .endsWith("OrderUpdated", "OrderIntentRecorded");
        assertThat(ledger.position().lastSequence()).isEqualTo(before + 2);
    }

    /** Issue 15: the position writes an answer still waiting, so an ending conditioned on it holds. */
    @Test
    void thePositionWritesAnAnswerStillWaiting() {
        TransactionLedger ledger = started(journal);
        ledger.recordSoon(filled());

        assertThat(ledger.position().lastSequence()).isEqualTo(journal.lastSequence());
        assertThat(TransactionView.fold(journal.stream("tx-1")).order("tx-1:sell-VTI").state())
                .isEqualTo(OrderState.FILLED);
    }

    /** Issue 15: an append that fails takes the answer waiting with it, and the view is the journal's again. */
    @Test
    void aFailedAppendTakesTheWaitingAnswerWithItAndTheViewFollowsTheJournal() {
        RefusingJournal refusing = new RefusingJournal(journal);
        TransactionLedger ledger = started(refusing);
        ledger.recordSoon(filled());
        refusing.refuse = true;

        assertThatThrownBy(() -> ledger.record(buyIntent())).isInstanceOf(KeelException.class);

        assertThat(ledger.view().order("tx-1:sell-VTI").state()).isEqualTo(OrderState.INTENDED);
        assertThat(ledger.view().order("tx-1:buy-TLT")).isNull();
        refusing.refuse = false;
        assertThat(ledger.position().lastSequence()).isEqualTo(journal.lastSequence());
    }
}
