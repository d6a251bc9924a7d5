package dev.keel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.engine.Engine;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.journal.DoubleFillDetected;
import dev.keel.core.journal.ForwardingJournal;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.StreamPosition;
import dev.keel.core.journal.OperationStateChanged;
import dev.keel.core.journal.OrderCancelRequested;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.OrderOutcomeRecorded;
import dev.keel.core.journal.OrderReferenced;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.journal.OrdersUnlinked;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionEvent;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.ops.OperationOutcome;
import dev.keel.core.ops.WatchReport;
import dev.keel.core.reconcile.AccountCheck;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protection watch over real parts: protective pairs journaled and resting at the paper exchange after the
 * operation that placed them ended, then prices move, a position is sold by hand, or the engine dies mid-way.
 */
class ProtectionWatchTest {
    static final Symbol VTI = Symbol.of("VTI");
    static final Symbol TLT = Symbol.of("TLT");
    static final String MAIN = Harness.ACCOUNT;

    @TempDir
    Path dir;

    /** A broker without order classes: Keel emulates the pair, and both legs can fill. */
    private static Harness emulating(Path where) {
        return new Harness(where, List.of(), b -> b.orderClasses(false));
    }

    @Test
    void emulatedTargetFillCancelsTheStop() {
        try (Harness h = emulating(dir)) {
            ProtectivePairs.emulated(h, "oco-1", VTI, "50", "260", "240");
            h.exchange.setPrice(VTI, new BigDecimal("261"));

            WatchReport report = h.engine().watch(MAIN);

            assertThat(report.ordersChanged()).isEqualTo(1);
            assertThat(report.enforcements()).extracting(OperationOutcome::state)
                    .containsExactly(OperationState.COMPLETED);
            assertThat(afterEnd(h, "oco-1")).containsExactly(
                    "OrderUpdated oco-1:protect-1-tp FILLED 50",
                    "OrderCancelRequested oco-1:protect-1-sl",
                    "OrderUpdated oco-1:protect-1-sl CANCELLED 0",
                    "OrdersUnlinked protect-1: both legs ended: take-profit FILLED 50/50, stop-loss CANCELLED 0/50 "
                            + "(enforced by tx-1)",
                    "OrdersWorking 0 orders 0 links");
            assertThat(lines(h, "tx-1")).containsExactly(
                    "TransactionStarted oco_enforcement",
                    "OperationRequested OCO_ENFORCEMENT oco-1 oco-1:protect-1-tp",
                    "OperationStateChanged null->PENDING",
                    "OperationStateChanged PENDING->IN_PROGRESS",
                    "OrderReferenced take-profit oco-1:protect-1-tp",
                    "OrderReferenced stop-loss oco-1:protect-1-sl",
                    "OrderOutcomeRecorded oco-1:protect-1-sl CANCELLED",
                    "OperationStateChanged IN_PROGRESS->COMPLETED",
                    "TransactionEnded COMPLETED", "OrdersWorking 0 orders 0 links");
            assertThat(h.exchange.accountSnapshot(MAIN).quantity(VTI)).isZero();
            assertThat(h.exchange.broker(MAIN).openOrders()).isEmpty();
            assertThat(h.notified).isEmpty();
            WatchReport again = h.engine().watch(MAIN);
            assertThat(again.quiet()).isTrue();
            assertThat(again.liveLinks()).isZero();
        }
    }

    @Test
    void emulatedPairFillingBothLegsIsFlattenedAndReported() {
        try (Harness h = emulating(dir)) {
            ProtectivePairs.emulated(h, "oco-1", VTI, "50", "260", "240");
            h.exchange.setPrice(VTI, new BigDecimal("261"));
            h.exchange.setPrice(VTI, new BigDecimal("239"));
            assertThat(h.exchange.accountSnapshot(MAIN).quantity(VTI)).isEqualByComparingTo("-50");

            WatchReport report = h.engine().watch(MAIN);

            assertThat(report.enforcements()).extracting(OperationOutcome::state)
                    .containsExactly(OperationState.COMPLETED);
            assertThat(lines(h, "tx-1")).containsExactly(
                    "TransactionStarted oco_enforcement",
                    "OperationRequested OCO_ENFORCEMENT oco-1 oco-1:protect-1-tp",
                    "OperationStateChanged null->PENDING",
                    "OperationStateChanged PENDING->IN_PROGRESS",
                    "OrderReferenced take-profit oco-1:protect-1-tp",
                    "OrderReferenced stop-loss oco-1:protect-1-sl",
                    "DoubleFillDetected protect-1 VTI 50 tx-1:flatten-1",
                    "OrderIntentRecorded tx-1:flatten-1 BUY 50 VTI",
                    "OrderUpdated tx-1:flatten-1 FILLED 50",
                    "OrderOutcomeRecorded tx-1:flatten-1 CLOSED",
                    "OperationStateChanged IN_PROGRESS->COMPLETED",
                    "TransactionEnded COMPLETED", "OrdersWorking 0 orders 0 links");
            assertThat(afterEnd(h, "oco-1")).containsExactly(
                    "OrderUpdated oco-1:protect-1-tp FILLED 50",
                    "OrderUpdated oco-1:protect-1-sl FILLED 50",
                    "OrdersUnlinked protect-1: both legs ended: take-profit FILLED 50/50, stop-loss FILLED 50/50 "
                            + "(enforced by tx-1)",
                    "OrdersWorking 0 orders 0 links");
            assertThat(h.exchange.accountSnapshot(MAIN).quantity(VTI)).isZero();
            assertThat(h.notified).singleElement().satisfies(n -> {
                assertThat(n.severity()).isEqualTo(Severity.HIGH);
                assertThat(n.title()).isEqualTo("Both legs of OCO pair protect-1 filled (VTI)");
                assertThat(n.body()).contains("50 VTI sold beyond the 50-share position", "tx-1:flatten-1",
                        ErrorCode.OCO_DOUBLE_FILL.name());
            });
            assertThat(h.engine().reconcile(MAIN).agrees()).isTrue();
        }
    }

    @Test
    void positionSoldByHandCancelsItsProtectionAndTheUnexplainedSaleStillMismatches() {
        try (Harness h = emulating(dir)) {
            ProtectivePairs.emulated(h, "oco-1", VTI, "50", "260", "240");
            h.exchange.broker(MAIN).submit("by-hand-1", OrderSpec.marketQty(VTI, Side.SELL, new BigDecimal("50")));

            WatchReport report = h.engine().watch(MAIN);

            assertThat(report.ordersChanged()).isZero();
            assertThat(report.enforcements()).extracting(OperationOutcome::state)
                    .containsExactly(OperationState.COMPLETED);
            assertThat(afterEnd(h, "oco-1")).containsExactly(
                    "OrderCancelRequested oco-1:protect-1-tp",
                    "OrderUpdated oco-1:protect-1-tp CANCELLED 0",
                    "OrderCancelRequested oco-1:protect-1-sl",
                    "OrderUpdated oco-1:protect-1-sl CANCELLED 0",
                    "OrdersUnlinked protect-1: both legs ended: take-profit CANCELLED 0/50, stop-loss CANCELLED 0/50 "
                            + "(enforced by tx-1)",
                    "OrdersWorking 0 orders 0 links");
            assertThat(lines(h, "tx-1")).contains(
                    "OrderOutcomeRecorded oco-1:protect-1-tp CANCELLED",
                    "OrderOutcomeRecorded oco-1:protect-1-sl CANCELLED");
            assertThat(h.exchange.broker(MAIN).openOrders()).isEmpty();
            assertThat(h.notified).isEmpty(); // nothing left to protect

            // the enforcement is no baseline: the sale the journal cannot explain still disagrees
            AccountCheck check = h.engine().reconcile(MAIN);
            assertThat(check.baseline()).isEqualTo("oco-1");
            assertThat(check.differences()).containsExactly("VTI: the journal expects 50 shares, the broker holds 0");
        }
    }

    @Test
    void smallerPositionCancelsProtectionAndSaysThePositionIsUnprotected() {
        try (Harness h = emulating(dir)) {
            ProtectivePairs.emulated(h, "oco-1", VTI, "50", "260", "240");
            h.exchange.broker(MAIN).submit("by-hand-1", OrderSpec.marketQty(VTI, Side.SELL, new BigDecimal("20")));

            WatchReport report = h.engine().watch(MAIN);

            assertThat(report.enforcements()).extracting(OperationOutcome::state)
                    .containsExactly(OperationState.COMPLETED);
            assertThat(h.exchange.broker(MAIN).openOrders()).isEmpty();
            assertThat(h.exchange.accountSnapshot(MAIN).quantity(VTI)).isEqualByComparingTo("30");
            assertThat(unlinked(h, "oco-1")).singleElement().asString().contains("CANCELLED 0/50");
            assertThat(h.notified).singleElement().satisfies(n -> {
                assertThat(n.severity()).isEqualTo(Severity.MEDIUM);
                assertThat(n.title()).isEqualTo("Position VTI is no longer protected");
                assertThat(n.body()).contains("30 held", "does not resize");
            });
        }
    }

    @Test
    void brokerHeldPairIsUnlinkedAndItsLateStopFillAgreesWithTheNextReconcile() {
        try (Harness h = new Harness(dir, List.of())) {
            ProtectivePairs.held(h, "oco-1", VTI, "50", "260", "240");
            ProtectivePairs.held(h, "oco-2", TLT, "10", "95", "85"); // a later operation: the check's baseline
            h.exchange.setPrice(VTI, new BigDecimal("239"));          // the stop of the ended oco-1 fills

            AccountCheck check = h.engine().reconcile(MAIN);

            assertThat(check.differences()).isEmpty();
            assertThat(check.baseline()).isEqualTo("oco-2");
            assertThat(afterEnd(h, "oco-1")).containsExactly(
                    "OrderUpdated oco-1:protect-1 CANCELLED 0",
                    "OrderUpdated oco-1:protect-1:sl FILLED 50",
                    "OrdersUnlinked protect-1: both legs ended: take-profit CANCELLED 0/50, stop-loss FILLED 50/50",
                    "OrdersWorking 0 orders 0 links");
            assertThat(h.journal.recentTransactions(10, MAIN)).extracting(t -> t.txId())
                    .containsExactly("oco-2", "oco-1"); // no enforcement: the broker held the pair
            assertThat(h.engine().status(MAIN).state()).isEqualTo(dev.keel.core.model.TradingState.ACTIVE);

            // a fill the journal cannot explain still disagrees
            h.exchange.broker(MAIN).submit("by-hand-1", OrderSpec.marketQty(TLT, Side.BUY, new BigDecimal("5")));
            AccountCheck off = h.engine().reconcile(MAIN);
            assertThat(off.differences()).containsExactly("TLT: the journal expects 10 shares, the broker holds 15");
        }
    }

    /**
     * The stop of an ended operation fills after the watch synced the working orders and before the account is read:
     * the broker's account then holds a fill the journal does not know yet. That is no mismatch: the check syncs again
     * and reads the account again before it calls the disagreement real.
     */
    @Test
    void aStopFillingBetweenTheSyncAndTheAccountReadIsNoMismatch() {
        try (Harness h = new Harness(dir, List.of())) {
            ProtectivePairs.held(h, "oco-1", VTI, "50", "260", "240");
            ProtectivePairs.held(h, "oco-2", TLT, "10", "95", "85");
            int[] reads = {0};
            int[] fillAt = {Integer.MAX_VALUE};
            h.brokerDecorator = b -> new HookedBroker(b, id -> { }).beforeAccount(() -> {
                if (++reads[0] == fillAt[0]) {
                    h.exchange.setPrice(VTI, new BigDecimal("239")); // the stop fills just before this read
                }
            });
            h.engine().watch(MAIN);
            int watchReads = reads[0];
            reads[0] = 0;
            fillAt[0] = watchReads + 1; // reconcile runs the watch (its sync, its reads), then reads the account

            AccountCheck check = h.engine().reconcile(MAIN);

            assertThat(reads[0]).as("the check read the account again after its second sync").isEqualTo(fillAt[0] + 1);
            assertThat(check.differences()).isEmpty();
            assertThat(h.engine().status(MAIN).state()).isEqualTo(dev.keel.core.model.TradingState.ACTIVE);
            assertThat(afterEnd(h, "oco-1")).contains("OrderUpdated oco-1:protect-1:sl FILLED 50");
        }
    }

    @Test
    void noLiveProtectionMeansNoBrokerCall() {
        try (Harness h = emulating(dir)) {
            Engine engine = h.engine();
            Map<String, Integer> before = h.exchange.callCounts();
            WatchReport report = engine.watch(MAIN);
            assertThat(report.quiet()).isTrue();
            assertThat(report.liveLinks()).isZero();
            assertThat(h.exchange.callCounts()).isEqualTo(before);
        }
    }

    /**
     * The engine dies at every journal append of a watch that must flatten a double fill, in turn; a restarted one
     * recovers and watches again. Every time: one flatten order, the position back to zero, the link ended.
     */
    @Test
    void crashAtAnyStepOfAnEnforcementIsFinishedByRecoveryWithOneFlatten() {
        int crashed = 0;
        for (int n = 1; n < 60; n++) {
            for (boolean afterWrite : List.of(false, true)) {
                Path where = dir.resolve("n" + n + (afterWrite ? "a" : "b"));
                try (Harness h = emulating(where)) {
                    ProtectivePairs.emulated(h, "oco-1", VTI, "50", "260", "240");
                    h.exchange.setPrice(VTI, new BigDecimal("261"));
                    h.exchange.setPrice(VTI, new BigDecimal("239"));
                    Journal real = h.journal;
                    h.journal = new DyingJournal(real, n, afterWrite);
                    boolean died = false;
                    try {
                        h.engine().watch(MAIN);
                    } catch (CrashingBroker.Crash crash) {
                        died = true;
                    }
                    h.journal = real;
                    h.reopenJournal();
                    Engine restarted = h.engine();
                    restarted.recover();
                    restarted.watch(MAIN);

                    String at = "crash at append " + n + (afterWrite ? " after" : " before") + " its write";
                    assertThat(h.exchange.orderLog().stream().filter(o -> o.clientOrderId().contains(":flatten-")))
                            .as(at).hasSize(1);
                    assertThat(h.exchange.accountSnapshot(MAIN).quantity(VTI)).as(at).isZero();
                    assertThat(unlinked(h, "oco-1")).as(at).hasSize(1);
                    assertThat(h.journal.openStreams(JournalEvent.TRANSACTION)).as(at).isEmpty();
                    assertThat(allEvents(h).stream().filter(DoubleFillDetected.class::isInstance)).as(at).hasSize(1);
                    assertThat(h.journal.recentTransactions(10, MAIN)).as(at)
                            .allSatisfy(t -> assertThat(t.status()).isIn(TransactionStatus.COMPLETED));
                    assertThat(restarted.reconcile(MAIN).agrees()).as(at).isTrue();
                    if (!died) {
                        assertThat(crashed).isGreaterThan(10);
                        return;
                    }
                    crashed++;
                }
            }
        }
        throw new AssertionError("the watch never got through without a crash");
    }

    /**
     * The index of working orders: the pair's transaction ended saying two legs and a link are working, so the watch
     * reads it; once the pair has ended and the watch said so, a pass and an account check read no transaction's
     * records at all. A journal from before the index (every transaction unsaid) is read once and then said.
     */
    @Test
    void anAccountWithNothingLiveIsWatchedFromTheIndexAlone() throws Exception {
        try (Harness h = emulating(dir)) {
            ProtectivePairs.emulated(h, "oco-1", VTI, "50", "260", "240");
            assertThat(h.journal.transaction("oco-1").orElseThrow().working()).as("two legs and their link")
                    .isEqualTo(3);
            Journal real = h.journal;
            TransactionReads reads = new TransactionReads(real);
            h.journal = reads;

            assertThat(h.engine().watch(MAIN).liveLinks()).isEqualTo(1);
            assertThat(reads.of("oco-1")).as("a live pair is read").isPositive();

            h.exchange.setPrice(VTI, new BigDecimal("261")); // the target fills; the watch cancels the stop
            assertThat(h.engine().watch(MAIN).enforcements()).hasSize(1);
            assertThat(real.recentTransactions(10, MAIN)).as("every transaction said to hold nothing")
                    .allSatisfy(t -> assertThat(t.settled()).as(t.txId()).isTrue());

            reads.count.clear();
            assertThat(h.engine().watch(MAIN).quiet()).isTrue();
            assertThat(reads.count).as("nothing live: no transaction's records read").isEmpty();
            assertThat(h.engine().reconcile(MAIN).agrees()).isTrue();

            h.journal = real;
            try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:"
                    + dir.resolve("journal.db"))) {
                c.createStatement().executeUpdate("UPDATE streams SET working = NULL"); // as migrated from before
            }
            h.reopenJournal();
            reads = new TransactionReads(h.journal);
            h.journal = reads;
            assertThat(h.engine().watch(MAIN).quiet()).isTrue();
            assertThat(reads.of("oco-1")).as("unsaid: read once").isPositive();
            reads.count.clear();
            assertThat(h.engine().watch(MAIN).quiet()).isTrue();
            assertThat(reads.count).as("then said").isEmpty();
        }
    }

    /** Counts reads of transactions' records, by transaction. */
    private static final class TransactionReads extends ForwardingJournal {
        final Map<String, Integer> count = new java.util.TreeMap<>();

        TransactionReads(Journal delegate) {
            super(delegate);
        }

        @Override
        public List<JournalRecord> stream(String streamId) {
            if (transaction(streamId).isPresent()) {
                count.merge(streamId, 1, Integer::sum);
            }
            return super.stream(streamId);
        }

        int of(String txId) {
            return count.getOrDefault(txId, 0);
        }
    }

    /** Dies (an Error) at the n-th append, before or after writing it. */
    private static final class DyingJournal extends ForwardingJournal {
        private final int dieAt;
        private final boolean afterWrite;
        private int appends;

        DyingJournal(Journal delegate, int dieAt, boolean afterWrite) {
            super(delegate);
            this.dieAt = dieAt;
            this.afterWrite = afterWrite;
        }

        @Override
        public JournalRecord append(JournalEvent event) {
            boolean die = ++appends == dieAt;
            if (die && !afterWrite) {
                throw new CrashingBroker.Crash("before append " + appends);
            }
            JournalRecord r = super.append(event);
            if (die) {
                throw new CrashingBroker.Crash("after append " + appends);
            }
            return r;
        }

        @Override
        public List<JournalRecord> appendAll(List<? extends JournalEvent> events, List<StreamPosition> expected,
                                         dev.keel.core.journal.Fence fence) {
            boolean die = ++appends == dieAt;
            if (die && !afterWrite) {
                throw new CrashingBroker.Crash("before append " + appends);
            }
            List<JournalRecord> r = super.appendAll(events, expected, fence);
            if (die) {
                throw new CrashingBroker.Crash("after append " + appends);
            }
            return r;
        }
    }

    private static List<JournalEvent> allEvents(Harness h) {
        List<JournalEvent> all = new ArrayList<>();
        h.journal.replay(0, r -> all.add(r.event()));
        return all;
    }

    private static List<String> unlinked(Harness h, String txId) {
        return h.events(txId).stream().filter(OrdersUnlinked.class::isInstance).map(e -> ((OrdersUnlinked) e).reason())
                .toList();
    }

    /** The transaction's events after its ending (and what the ending said is working), as compact lines. */
    private static List<String> afterEnd(Harness h, String txId) {
        List<JournalEvent> events = h.journal.stream(txId).stream().map(JournalRecord::event).toList();
        int from = 0;
        while (!(events.get(from) instanceof TransactionEnded)) {
            from++;
        }
        assertThat(events.get(from + 1)).as("the ending says what it leaves working")
                .isInstanceOf(dev.keel.core.journal.OrdersWorking.class);
        return events.subList(from + 2, events.size()).stream().map(ProtectionWatchTest::line).toList();
    }

    private static List<String> lines(Harness h, String txId) {
        return h.journal.stream(txId).stream().map(r -> line(r.event())).toList();
    }

    private static String line(JournalEvent e) {
        return switch (e) {
            case dev.keel.core.journal.TransactionStarted s -> "TransactionStarted " + s.operation();
            case dev.keel.core.journal.OperationRequested r -> "OperationRequested " + r.type() + " "
                    + r.params().rollbackOf() + " " + r.params().clientOrderId();
            case OperationStateChanged c -> "OperationStateChanged " + c.from() + "->" + c.to();
            case OrderReferenced r -> "OrderReferenced " + r.role() + " " + r.clientOrderId();
            case OrderOutcomeRecorded o -> "OrderOutcomeRecorded " + o.clientOrderId() + " " + o.outcome();
            case OrderCancelRequested c -> "OrderCancelRequested " + c.clientOrderId();
            case OrderUpdated u -> "OrderUpdated " + u.clientOrderId() + " " + u.state() + " "
                    + u.filledQuantity().stripTrailingZeros().toPlainString();
            case OrderIntentRecorded i -> "OrderIntentRecorded " + i.clientOrderId() + " " + i.spec().describe();
            case DoubleFillDetected d -> "DoubleFillDetected " + d.link() + " " + d.symbol() + " "
                    + d.excess().stripTrailingZeros().toPlainString() + " " + d.flattenOrderId();
            case OrdersUnlinked u -> "OrdersUnlinked " + u.link() + ": " + u.reason();
            case TransactionEnded t -> "TransactionEnded " + t.status();
            case dev.keel.core.journal.OrdersWorking w -> "OrdersWorking " + w.orders() + " orders " + w.links()
                    + " links";
            case TransactionEvent t -> t.getClass().getSimpleName();
            default -> e.getClass().getSimpleName();
        };
    }
}
