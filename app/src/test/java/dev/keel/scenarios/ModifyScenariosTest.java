package dev.keel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.OrdersLinked;
import dev.keel.core.model.OrderOutcome;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.ops.OperationView;
import dev.keel.core.ops.WatchReport;
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
                    "ended COMPLETED", "working 1 orders 0 links");
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
                    "ended COMPLETED", "working 1 orders 0 links");
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
                    "ended FAILED", "working 0 orders 0 links");
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
                    "ended FAILED BROKER_SERVER_ERROR", "working 0 orders 0 links");
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
                    "ended FAILED INSUFFICIENT_BUYING_POWER", "working 0 orders 0 links");
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

    // A leg of a live protective pair: the modification replaces the whole pair (issue 4).

    private static final Symbol IEF = Symbol.of("IEF");

    /** A broker without order classes: Keel emulates the pair, and both legs could fill. */
    private static Harness emulating(Path where, List<FaultRule> faults) {
        return new Harness(where, faults, b -> b.orderClasses(false));
    }

    private static Harness harness(Path where, boolean held, List<FaultRule> faults) {
        return held ? new Harness(where, faults) : emulating(where, faults);
    }

    /** Buys 10 IEF (95.00, none held) with a bracket, stop 90, target 105: the pair protect-1 of tx-1. */
    private static String bracket(Harness h) {
        OperationOutcome out = h.engine().operate(MAIN, OperationType.BRACKET_ORDER, OperationParams.bracket(IEF,
                n("10"), null, n("90"), null, n("105")), null);
        assertThat(out.state()).isEqualTo(OperationState.COMPLETED);
        return out.txId();
    }

    /** Pair 1 of {@code tx}: take-profit, stop-loss. */
    private static List<String> pairLegs(String tx, boolean held) {
        return held ? List.of(tx + ":protect-1", tx + ":protect-1:sl")
                : List.of(tx + ":protect-1-tp", tx + ":protect-1-sl");
    }

    private static OperationOutcome moveStop(Harness h, String stopLeg, String stop) {
        return h.engine().operate(MAIN, OperationType.ORDER_MODIFICATION, OperationParams.modify(stopLeg, null, null,
                n(stop)), null);
    }

    private static List<OrdersLinked> liveLinks(Harness h, String txId) {
        return OperationView.of(TransactionView.fold(h.journal.stream(txId))).liveLinks();
    }

    /** What was journaled in a transaction's stream after its ending (and what the ending said is working). */
    private static List<String> afterEnd(Harness h, String txId) {
        List<String> lines = OperationLines.of(h.journal, txId);
        int end = 0;
        while (!lines.get(end).startsWith("ended")) {
            end++;
        }
        assertThat(lines.get(end + 1)).as("the ending says what it leaves working").startsWith("working ");
        return lines.subList(end + 2, lines.size());
    }

    /** The exchange's live orders: client id, spec, state. */
    private static List<String> liveAtExchange(Harness h) {
        return h.exchange.orderLog().stream().filter(o -> o.state().isLive())
                .map(o -> o.clientOrderId() + " " + o.spec().describe() + " " + o.state()).toList();
    }

    private static BigDecimal heldIef(Harness h) {
        return h.exchange.accountSnapshot(MAIN).quantity(IEF);
    }

    @Test
    void movingTheStopOfABrokerHeldBracketReplacesTheWholePair() {
        try (Harness h = new Harness(dir, List.of())) {
            String tx = bracket(h);

            OperationOutcome out = moveStop(h, tx + ":protect-1:sl", "92");

            assertThat(out.state()).isEqualTo(OperationState.COMPLETED);
            assertThat(OperationLines.of(h.journal, "tx-2")).containsExactly(
                    "started order_modification",
                    "requested ORDER_MODIFICATION",
                    "state null->PENDING",
                    "state PENDING->IN_PROGRESS",
                    "referenced tx-1:protect-1 owner tx-1 role replace",
                    "referenced tx-1:protect-1:sl owner tx-1 role replace",
                    "outcome tx-1:protect-1 CANCELLED filled 0",
                    "outcome tx-1:protect-1:sl CANCELLED filled 0",
                    "intent tx-2:protect-1 SELL 10 IEF @ 105",
                    "intent tx-2:protect-1:sl SELL 10 IEF stop 92",
                    "linked protect-1 tx-2:protect-1 tx-2:protect-1:sl held",
                    "broker tx-2:protect-1 ACCEPTED 0",
                    "lookup tx-2:protect-1:sl FOUND",
                    "broker tx-2:protect-1:sl ACCEPTED 0",
                    "outcome tx-1:protect-1 REPLACED filled 0",
                    "outcome tx-1:protect-1:sl REPLACED filled 0",
                    "state IN_PROGRESS->COMPLETED",
                    "ended COMPLETED", "working 2 orders 1 links");
            assertThat(afterEnd(h, "tx-1")).containsExactly(
                    "cancel tx-1:protect-1 #1",
                    "broker tx-1:protect-1 CANCELLED 0",
                    "cancel tx-1:protect-1:sl #1",
                    "broker tx-1:protect-1:sl CANCELLED 0",
                    "unlinked protect-1: replaced by modification tx-2: both legs ended");
            assertThat(liveLinks(h, "tx-1")).isEmpty();
            assertThat(liveLinks(h, "tx-2")).singleElement().satisfies(l -> {
                assertThat(l.link()).isEqualTo("protect-1");
                assertThat(l.heldByBroker()).isTrue();
            });
            assertThat(liveAtExchange(h)).containsExactly(
                    "tx-2:protect-1 SELL 10 IEF @ 105 ACCEPTED",
                    "tx-2:protect-1:sl SELL 10 IEF stop 92 ACCEPTED");
            assertThat(h.notified).isEmpty();
        }
    }

    @Test
    void movingTheStopOfAnEmulatedBracketReplacesTheWholePair() {
        try (Harness h = emulating(dir, List.of())) {
            String tx = bracket(h);

            OperationOutcome out = moveStop(h, tx + ":protect-1-sl", "92");

            assertThat(out.state()).isEqualTo(OperationState.COMPLETED);
            assertThat(OperationLines.of(h.journal, "tx-2")).containsExactly(
                    "started order_modification",
                    "requested ORDER_MODIFICATION",
                    "state null->PENDING",
                    "state PENDING->IN_PROGRESS",
                    "referenced tx-1:protect-1-tp owner tx-1 role replace",
                    "referenced tx-1:protect-1-sl owner tx-1 role replace",
                    "outcome tx-1:protect-1-tp CANCELLED filled 0",
                    "outcome tx-1:protect-1-sl CANCELLED filled 0",
                    "intent tx-2:protect-1-tp SELL 10 IEF @ 105",
                    "intent tx-2:protect-1-sl SELL 10 IEF stop 92",
                    "linked protect-1 tx-2:protect-1-tp tx-2:protect-1-sl emulated",
                    "broker tx-2:protect-1-tp ACCEPTED 0",
                    "broker tx-2:protect-1-sl ACCEPTED 0",
                    "outcome tx-1:protect-1-tp REPLACED filled 0",
                    "outcome tx-1:protect-1-sl REPLACED filled 0",
                    "state IN_PROGRESS->COMPLETED",
                    "ended COMPLETED", "working 2 orders 1 links");
            assertThat(afterEnd(h, "tx-1")).containsExactly(
                    "cancel tx-1:protect-1-tp #1",
                    "broker tx-1:protect-1-tp CANCELLED 0",
                    "cancel tx-1:protect-1-sl #1",
                    "broker tx-1:protect-1-sl CANCELLED 0",
                    "unlinked protect-1: replaced by modification tx-2: both legs ended");
            assertThat(liveLinks(h, "tx-1")).isEmpty();
            assertThat(liveLinks(h, "tx-2")).singleElement().satisfies(l -> {
                assertThat(l.link()).isEqualTo("protect-1");
                assertThat(l.heldByBroker()).isFalse();
            });
            assertThat(liveAtExchange(h)).containsExactly(
                    "tx-2:protect-1-tp SELL 10 IEF @ 105 ACCEPTED",
                    "tx-2:protect-1-sl SELL 10 IEF stop 92 ACCEPTED");
            assertThat(h.notified).isEmpty();
        }
    }

    @Test
    void aBrokerHeldPairWhoseTargetFilledInPartIsReplacedForTheRemainder() {
        assertReplacedForTheRemainder(true);
    }

    @Test
    void anEmulatedPairWhoseTargetFilledInPartIsReplacedForTheRemainder() {
        assertReplacedForTheRemainder(false);
    }

    /**
     * The take-profit sells 4 of 10 (the broker's OCO then cancels the stop; for an emulated pair the watch that runs
     * before the modification does); moving the stop places a new pair for the 6 still held.
     */
    private void assertReplacedForTheRemainder(boolean held) {
        List<FaultRule> faults = List.of(FaultRule.partialFill(n("0.4")).withOp(BrokerCall.SUBMIT).withSymbol(IEF)
                .withNth(2));
        try (Harness h = harness(dir, held, faults)) {
            String tx = bracket(h);
            List<String> old = pairLegs(tx, held);
            h.exchange.setPrice(IEF, n("106"));
            h.exchange.setPrice(IEF, n("100"));

            OperationOutcome out = moveStop(h, old.get(1), "92");

            String mod = out.txId();
            assertThat(out.state()).isEqualTo(OperationState.COMPLETED);
            List<String> fresh = pairLegs(mod, held);
            List<String> lines = new ArrayList<>(List.of(
                    "started order_modification",
                    "requested ORDER_MODIFICATION",
                    "state null->PENDING",
                    "state PENDING->IN_PROGRESS",
                    "referenced " + old.get(0) + " owner " + tx + " role replace",
                    "referenced " + old.get(1) + " owner " + tx + " role replace",
                    "outcome " + old.get(0) + " CANCELLED filled 4",
                    "outcome " + old.get(1) + " ALREADY_DONE filled 0",
                    "intent " + fresh.get(0) + " SELL 6 IEF @ 105",
                    "intent " + fresh.get(1) + " SELL 6 IEF stop 92",
                    "linked protect-1 " + fresh.get(0) + " " + fresh.get(1) + (held ? " held" : " emulated"),
                    "broker " + fresh.get(0) + " ACCEPTED 0"));
            if (held) {
                lines.add("lookup " + fresh.get(1) + " FOUND");
            }
            lines.addAll(List.of(
                    "broker " + fresh.get(1) + " ACCEPTED 0",
                    "outcome " + old.get(0) + " REPLACED filled 4",
                    "state IN_PROGRESS->COMPLETED",
                    "ended COMPLETED", "working 2 orders 1 links"));
            assertThat(OperationLines.of(h.journal, mod)).containsExactlyElementsOf(lines);
            assertThat(afterEnd(h, tx)).endsWith(
                    "cancel " + old.get(0) + " #1",
                    "broker " + old.get(0) + " CANCELLED 4",
                    "unlinked protect-1: replaced by modification " + mod + ": both legs ended");
            assertThat(liveLinks(h, tx)).isEmpty();
            assertThat(liveLinks(h, mod)).hasSize(1);
            assertThat(heldIef(h)).isEqualByComparingTo("6");
            assertThat(liveAtExchange(h)).containsExactly(
                    fresh.get(0) + " SELL 6 IEF @ 105 ACCEPTED",
                    fresh.get(1) + " SELL 6 IEF stop 92 ACCEPTED");
        }
    }

    @Test
    void aTargetThatFillsCompletelyDuringTheModificationLeavesNoNewPair() {
        try (Harness h = new Harness(dir, List.of())) {
            String tx = bracket(h);
            h.brokerDecorator = b -> new HookedBroker(b, id -> h.exchange.setPrice(IEF, n("106")));

            OperationOutcome out = moveStop(h, tx + ":protect-1:sl", "92");

            assertThat(out.state()).isEqualTo(OperationState.FAILED);
            assertThat(out.message()).startsWith("tx-1:protect-1 filled before link protect-1 of tx-1 could be "
                    + "modified").contains("no new pair placed");
            assertThat(out.orders()).filteredOn(l -> l.clientOrderId().equals("tx-1:protect-1"))
                    .extracting(OperationOutcome.Line::outcome).containsExactly(OrderOutcome.ALREADY_FILLED);
            assertThat(OperationLines.of(h.journal, "tx-2")).containsExactly(
                    "started order_modification",
                    "requested ORDER_MODIFICATION",
                    "state null->PENDING",
                    "state PENDING->IN_PROGRESS",
                    "referenced tx-1:protect-1 owner tx-1 role replace",
                    "referenced tx-1:protect-1:sl owner tx-1 role replace",
                    "outcome tx-1:protect-1 ALREADY_FILLED filled 10",
                    "outcome tx-1:protect-1:sl CANCELLED filled 0",
                    "state IN_PROGRESS->FAILED",
                    "ended FAILED", "working 0 orders 0 links");
            assertThat(afterEnd(h, "tx-1")).last()
                    .isEqualTo("unlinked protect-1: replaced by modification tx-2: both legs ended");
            assertThat(liveLinks(h, "tx-1")).isEmpty();
            assertThat(h.exchange.orderLog()).noneMatch(o -> o.clientOrderId().startsWith("tx-2:"));
            assertThat(liveAtExchange(h)).isEmpty();
            assertThat(heldIef(h)).isZero();
        }
    }

    @Test
    void aBrokerHeldPairIsReplacedWhateverAppendTheEngineDiesAt() throws Exception {
        assertReplacedAfterACrashAtEveryAppend(true);
    }

    @Test
    void anEmulatedPairIsReplacedWhateverAppendTheEngineDiesAt() throws Exception {
        assertReplacedAfterACrashAtEveryAppend(false);
    }

    /**
     * The engine dies before its n-th journal append of the modification, for every n, and a new one recovers: exactly
     * one live link then covers the position (the old pair, or the new one at the new stop), its legs are the
     * exchange's only live orders, the old and the new pair never worked at once, one exchange order per client id.
     */
    private void assertReplacedAfterACrashAtEveryAppend(boolean held) throws Exception {
        for (int crashAt = 1; ; crashAt++) {
            Path run = Files.createDirectories(dir.resolve("run-" + crashAt));
            try (Harness h = harness(run, held, List.of())) {
                String tx = bracket(h);
                List<String> old = pairLegs(tx, held);
                List<String> bothWorking = new ArrayList<>();
                h.brokerDecorator = b -> new HookedBroker(b, id -> { }, cid -> {
                    if (cid.startsWith("tx-2:") && old.stream().anyMatch(o -> atExchange(h, o).state().isLive())) {
                        bothWorking.add(cid);
                    }
                });
                CrashingAppends crashing = new CrashingAppends(h.journal, crashAt);
                h.journal = crashing;
                try {
                    moveStop(h, old.get(1), "92");
                } catch (CrashingBroker.Crash expected) {
                    // the process died; a new one starts on the same files
                }
                boolean crashed = crashing.crashed();
                h.reopenJournal();
                h.engine().recover();

                String what = (held ? "broker-held" : "emulated") + ", crash at append " + crashAt;
                assertThat(bothWorking).as(what).isEmpty();
                assertThat(h.exchange.orderLog().stream().collect(Collectors.groupingBy(
                        ExchangeOrderLogEntry::clientOrderId, Collectors.counting())).values()).as(what)
                        .allMatch(c -> c == 1);
                List<OrdersLinked> live = new ArrayList<>(liveLinks(h, tx));
                live.addAll(liveLinks(h, "tx-2"));
                assertThat(live).as(what).hasSize(1);
                OrdersLinked link = live.get(0);
                assertThat(h.exchange.orderLog().stream().filter(o -> o.state().isLive())
                        .map(ExchangeOrderLogEntry::clientOrderId)).as(what)
                        .containsExactlyInAnyOrder(link.takeProfitOrderId(), link.stopLossOrderId());
                assertThat(h.exchange.orderLog().stream().filter(o -> o.state().isLive())).as(what)
                        .allMatch(o -> o.spec().quantity().compareTo(heldIef(h)) == 0);
                assertThat(heldIef(h)).as(what).isEqualByComparingTo("10");
                if (h.journal.transaction("tx-2").isEmpty()) {
                    assertThat(link.txId()).as(what).isEqualTo(tx);
                    continue;
                }
                assertThat(h.ended("tx-2").status()).as(what).isEqualTo(TransactionStatus.COMPLETED);
                assertThat(link.txId()).as(what).isEqualTo("tx-2");
                assertThat(atExchange(h, link.stopLossOrderId()).spec().stopPrice()).as(what)
                        .isEqualByComparingTo("92");
                if (!crashed) {
                    assertThat(crashAt).as(what).isGreaterThan(10);
                    return;
                }
            }
        }
    }

    @Test
    void theWatchEnforcesTheNewPairWhenThePriceCrossesItsTarget() {
        try (Harness h = emulating(dir, List.of())) {
            String tx = bracket(h);
            assertThat(moveStop(h, tx + ":protect-1-sl", "92").state()).isEqualTo(OperationState.COMPLETED);
            h.exchange.setPrice(IEF, n("106"));

            WatchReport report = h.engine().watch(MAIN);

            assertThat(report.enforcements()).extracting(OperationOutcome::state)
                    .containsExactly(OperationState.COMPLETED);
            assertThat(afterEnd(h, "tx-2")).containsExactly(
                    "broker tx-2:protect-1-tp FILLED 10",
                    "cancel tx-2:protect-1-sl #1",
                    "broker tx-2:protect-1-sl CANCELLED 0",
                    "unlinked protect-1: both legs ended: take-profit FILLED 10/10, stop-loss CANCELLED 0/10 "
                            + "(enforced by tx-3)",
                    "working 0 orders 0 links");
            assertThat(OperationLines.of(h.journal, "tx-3")).contains(
                    "referenced tx-2:protect-1-tp owner tx-2 role take-profit",
                    "outcome tx-2:protect-1-sl CANCELLED filled 0");
            assertThat(liveAtExchange(h)).isEmpty();
            assertThat(heldIef(h)).isZero();
            assertThat(h.notified).isEmpty();
        }
    }

    @Test
    void aRefusedNewPairLeavesThePositionUnprotectedAndSaysSoLoudly() {
        List<FaultRule> faults = List.of(FaultRule.reject(RejectReason.INSUFFICIENT_BUYING_POWER)
                .withOp(BrokerCall.SUBMIT).withSymbol(IEF).withNth(5)); // entry, tp, sl, new tp, new sl
        try (Harness h = emulating(dir, faults)) {
            String tx = bracket(h);

            OperationOutcome out = moveStop(h, tx + ":protect-1-sl", "92");

            assertThat(out.state()).isEqualTo(OperationState.NEEDS_REVIEW);
            assertThat(out.code()).isEqualTo(ErrorCode.INSUFFICIENT_BUYING_POWER);
            assertThat(out.message()).startsWith("POSITION UNPROTECTED: 10 IEF has no stop-loss");
            assertThat(OperationLines.of(h.journal, "tx-2")).containsExactly(
                    "started order_modification",
                    "requested ORDER_MODIFICATION",
                    "state null->PENDING",
                    "state PENDING->IN_PROGRESS",
                    "referenced tx-1:protect-1-tp owner tx-1 role replace",
                    "referenced tx-1:protect-1-sl owner tx-1 role replace",
                    "outcome tx-1:protect-1-tp CANCELLED filled 0",
                    "outcome tx-1:protect-1-sl CANCELLED filled 0",
                    "intent tx-2:protect-1-tp SELL 10 IEF @ 105",
                    "intent tx-2:protect-1-sl SELL 10 IEF stop 92",
                    "linked protect-1 tx-2:protect-1-tp tx-2:protect-1-sl emulated",
                    "broker tx-2:protect-1-tp ACCEPTED 0",
                    "attempt tx-2:protect-1-sl #1 INSUFFICIENT_BUYING_POWER",
                    "failed tx-2:protect-1-sl REJECTED INSUFFICIENT_BUYING_POWER",
                    "cancel tx-2:protect-1-tp #1",
                    "broker tx-2:protect-1-tp CANCELLED 0",
                    "outcome tx-2:protect-1-tp CANCELLED filled 0",
                    "outcome tx-2:protect-1-sl ALREADY_DONE filled 0",
                    "unlinked protect-1: the new pair was refused: tx-2:protect-1-sl REJECTED",
                    "state IN_PROGRESS->NEEDS_REVIEW",
                    "ended NEEDS_REVIEW INSUFFICIENT_BUYING_POWER", "working 0 orders 0 links");
            assertThat(h.engine().status(MAIN).state()).isEqualTo(dev.keel.core.model.TradingState.REDUCING);
            assertThat(liveLinks(h, "tx-1")).isEmpty();
            assertThat(liveLinks(h, "tx-2")).isEmpty();
            assertThat(liveAtExchange(h)).isEmpty();
            assertThat(heldIef(h)).isEqualByComparingTo("10");
            assertThat(h.notified).filteredOn(n -> n.severity() == Severity.CRITICAL).singleElement()
                    .satisfies(n -> assertThat(n.body()).contains("POSITION UNPROTECTED: 10 IEF",
                            "tx-2:protect-1-sl REJECTED"));
            assertThat(h.notified).extracting(n -> n.title()).containsExactly(
                    "Order operation tx-2 (order modification) NEEDS_REVIEW", "Account main REDUCING (was ACTIVE)");
        }
    }

    @Test
    void aReplacedPairCanBeModifiedAgainAndAStopAboveTheTargetIsRefusedBeforeAnythingIsSent() {
        try (Harness h = new Harness(dir, List.of())) {
            String tx = bracket(h);
            assertThat(moveStop(h, tx + ":protect-1:sl", "92").state()).isEqualTo(OperationState.COMPLETED);

            OperationOutcome again = h.engine().operate(MAIN, OperationType.ORDER_MODIFICATION,
                    OperationParams.modify("tx-2:protect-1", null, n("104"), null), null);

            assertThat(again.state()).isEqualTo(OperationState.COMPLETED);
            assertThat(liveLinks(h, tx)).isEmpty();
            assertThat(liveLinks(h, "tx-2")).isEmpty();
            assertThat(liveLinks(h, "tx-3")).hasSize(1);
            assertThat(liveAtExchange(h)).containsExactly(
                    "tx-3:protect-1 SELL 10 IEF @ 104 ACCEPTED",
                    "tx-3:protect-1:sl SELL 10 IEF stop 92 ACCEPTED");

            assertThatThrownBy(() -> moveStop(h, "tx-3:protect-1:sl", "104"))
                    .isInstanceOf(dev.keel.core.error.KeelException.class)
                    .hasMessageContaining("the stop-loss's stop must be below the take-profit's limit 104");
            assertThat(h.journal.transaction("tx-4")).isEmpty();
            assertThat(liveLinks(h, "tx-3")).hasSize(1);
        }
    }
}
