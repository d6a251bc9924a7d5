package dev.keel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.account.StateChange;
import dev.keel.core.engine.Engine;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.execution.OperationContext;
import dev.keel.core.execution.OrderExecutor;
import dev.keel.core.execution.OrderResult;
import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.LastRebalanceMoved;
import dev.keel.core.journal.TradingStateChanged;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TimeInForce;
import dev.keel.core.model.TradingState;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.notify.Notification;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.rebalance.RebalanceOutcome;
import dev.keel.core.reconcile.AccountCheck;
import dev.keel.paper.BrokerCall;
import dev.keel.paper.FaultRule;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Law 9: each trading state's rule, each automatic move into it, and the operator's way out. */
class TradingStateScenariosTest {
    private static final String MAIN = Harness.ACCOUNT;

    @TempDir
    Path dir;

    /** The account stream as compact lines, for whole-list assertions. */
    private static List<String> accountStream(Harness h) {
        return h.journal.stream("account:" + MAIN).stream().map(r -> switch (r.event()) {
            case TradingStateChanged c -> c.from() + "->" + c.to() + " " + c.actor() + " " + c.cause() + " " + c.txId();
            case LastRebalanceMoved m -> "last-rebalance " + m.txId();
            default -> r.event().toString();
        }).toList();
    }

    private static Map<String, String> results(RebalanceOutcome outcome) {
        return outcome.results().stream().collect(Collectors.toMap(OrderResult::leg,
                r -> r.status() + (r.errorCode() == null ? "" : " " + r.errorCode()), (a, b) -> a, TreeMap::new));
    }

    private static RebalanceOutcome rebalance(Engine engine) {
        return engine.rebalance(MAIN, null, ProgressListener.NONE);
    }

    private static List<String> titles(Harness h) {
        return h.notified.stream().map(Notification::title).toList();
    }

    private static void force(Harness h, TradingState from, TradingState to, TradingState.Actor actor,
                              ErrorCode cause) {
        h.journal.append(new TradingStateChanged(MAIN, from, to, "set by the test", cause, actor, null, null,
                h.clock.instant()));
    }

    @Test
    void haltedAccountSendsNothingAndItsRebalanceIsAbortedWithAccountHalted() {
        try (Harness h = new Harness(dir, List.of())) {
            Engine engine = h.engine();
            StateChange halt = engine.halt(MAIN, "broker maintenance tonight");

            RebalanceOutcome outcome = rebalance(engine);

            assertThat(halt.result()).isEqualTo(StateChange.Result.CHANGED);
            assertThat(outcome.status()).isEqualTo(TransactionStatus.ABORTED);
            assertThat(outcome.errorCode()).isEqualTo(ErrorCode.ACCOUNT_HALTED);
            assertThat(outcome.errorMessage()).contains("HALTED since", "broker maintenance tonight");
            assertThat(h.exchange.callCounts()).as("not even a read").isEmpty();
            assertThat(h.eventKinds(outcome.txId())).containsExactly("TransactionStarted", "TransactionEnded", "OrdersWorking");
            assertThat(accountStream(h)).containsExactly("ACTIVE->HALTED OPERATOR null null");
            assertThat(titles(h)).containsExactly("Account main HALTED (was ACTIVE)",
                    "Rebalance ABORTED for account main");
            assertThat(engine.halt(MAIN, "again").result()).isEqualTo(StateChange.Result.UNCHANGED);
        }
    }

    @Test
    void executorRefusesNewBuysOfAReducingAccountAndEverySubmitOfAHaltedOne() {
        try (Harness h = new Harness(dir, List.of())) {
            OrderExecutor executor = h.executor();
            TransactionLedger ledger = new TransactionLedger(h.journal, new OperationContext("tx-x", MAIN, "tx-x"),
                    new TransactionView());
            force(h, TradingState.ACTIVE, TradingState.REDUCING, TradingState.Actor.ENGINE,
                    ErrorCode.BROKER_UNAVAILABLE);

            OrderResult buy = executor.execute(ledger, "buy-GLD",
                    OrderSpec.marketNotional(Symbol.of("GLD"), Side.BUY, new BigDecimal("500")), new BigDecimal("500"));
            OrderResult sell = executor.execute(ledger, "sell-VTI",
                    OrderSpec.marketQty(Symbol.of("VTI"), Side.SELL, new BigDecimal("5")), new BigDecimal("1250"));
            force(h, TradingState.REDUCING, TradingState.HALTED, TradingState.Actor.OPERATOR, null);
            OrderResult close = executor.execute(ledger, "sell-TLT",
                    OrderSpec.marketQty(Symbol.of("TLT"), Side.SELL, new BigDecimal("10")), new BigDecimal("900"));

            assertThat(List.of(buy, sell, close)).extracting(r -> r.status() + " " + r.errorCode()).containsExactly(
                    "FAILED ACCOUNT_REDUCING", "SUCCESS null", "FAILED ACCOUNT_HALTED");
            assertThat(h.orderEvents("tx-x", "buy-GLD")).containsExactly("intent BUY GLD",
                    "failed FAILED ACCOUNT_REDUCING");
            assertThat(h.orderEvents("tx-x", "sell-TLT")).containsExactly("intent SELL TLT",
                    "failed FAILED ACCOUNT_HALTED");
            assertThat(h.exchange.orderLog()).singleElement()
                    .satisfies(o -> assertThat(o.clientOrderId()).isEqualTo("tx-x:sell-VTI"));
        }
    }

    @Test
    void reducingAccountSellsSkipsEveryBuyEndsPartialAndSaysWhy() {
        try (Harness h = new Harness(dir, List.of())) {
            force(h, TradingState.ACTIVE, TradingState.REDUCING, TradingState.Actor.ENGINE,
                    ErrorCode.BROKER_UNAVAILABLE);

            RebalanceOutcome outcome = rebalance(h.engine());

            assertThat(outcome.status()).isEqualTo(TransactionStatus.PARTIAL);
            assertThat(outcome.errorCode()).isEqualTo(ErrorCode.ACCOUNT_REDUCING);
            assertThat(outcome.errorMessage()).startsWith("buys not sent: the account is REDUCING since");
            assertThat(results(outcome)).containsExactly(
                    Map.entry("buy-DBC", "SKIPPED ACCOUNT_REDUCING"),
                    Map.entry("buy-GLD", "SKIPPED ACCOUNT_REDUCING"),
                    Map.entry("buy-IEF", "SKIPPED ACCOUNT_REDUCING"),
                    Map.entry("buy-TLT", "SKIPPED ACCOUNT_REDUCING"),
                    Map.entry("sell-VTI", "SUCCESS"));
            assertThat(h.eventKinds(outcome.txId())).containsExactly("TransactionStarted", "PlanInputsRecorded",
                    "OrderIntentRecorded", "OrderUpdated", "ReconciliationRecorded", "TransactionEnded", "OrdersWorking");
            assertThat(h.exchange.orderLog()).singleElement()
                    .satisfies(o -> assertThat(o.spec().side()).isEqualTo(Side.SELL));
            assertThat(accountStream(h)).as("the breaker is closed and the broker answered: ACTIVE again")
                    .containsExactly("ACTIVE->REDUCING ENGINE BROKER_UNAVAILABLE null",
                            "REDUCING->ACTIVE ENGINE null " + outcome.txId());
            assertThat(titles(h)).containsExactly("Rebalance PARTIAL for account main",
                    "Account main ACTIVE (was REDUCING)");
        }
    }

    @Test
    void anOutageOpensTheBreakerReducesTheAccountAndItComesBackOnItsOwn() {
        try (Harness h = new Harness(dir, List.of(FaultRule.connectionReset().withTimes(10)))) {
            Engine engine = h.engine();

            List<RebalanceOutcome> outage = List.of(rebalance(engine), rebalance(engine), rebalance(engine));

            assertThat(outage).extracting(o -> o.status() + " " + o.errorCode()).containsExactly(
                    "ABORTED CONNECTION_RESET", "ABORTED CONNECTION_RESET", "ABORTED BROKER_UNAVAILABLE");
            assertThat(accountStream(h)).containsExactly(
                    "ACTIVE->REDUCING ENGINE BROKER_UNAVAILABLE " + outage.get(2).txId());

            h.clock.advance(Duration.ofSeconds(31));
            RebalanceOutcome reducing = rebalance(engine);
            RebalanceOutcome active = rebalance(engine);

            assertThat(reducing.status() + " " + reducing.errorCode()).isEqualTo("PARTIAL ACCOUNT_REDUCING");
            assertThat(results(reducing)).containsEntry("sell-VTI", "SUCCESS")
                    .containsEntry("buy-TLT", "SKIPPED ACCOUNT_REDUCING");
            assertThat(active.status()).isEqualTo(TransactionStatus.COMPLETED);
            assertThat(results(active)).containsOnlyKeys("buy-DBC", "buy-GLD", "buy-IEF", "buy-TLT");
            assertThat(accountStream(h)).containsExactly(
                    "ACTIVE->REDUCING ENGINE BROKER_UNAVAILABLE " + outage.get(2).txId(),
                    "REDUCING->ACTIVE ENGINE null " + reducing.txId(),
                    "last-rebalance " + active.txId());
            // the third abort and the state change are sent in one dispatch round: the more severe first
            assertThat(titles(h)).containsExactly(
                    "Rebalance ABORTED for account main", "Rebalance ABORTED for account main",
                    "Account main REDUCING (was ACTIVE)", "Rebalance ABORTED for account main",
                    "Rebalance PARTIAL for account main", "Account main ACTIVE (was REDUCING)",
                    "Rebalance COMPLETED for account main");
        }
    }

    @Test
    void orderPlacedByHandHaltsTheAccountUntilAnOperatorResumesWhichRebaselines() {
        try (Harness h = new Harness(dir, List.of())) {
            Engine engine = h.engine();
            RebalanceOutcome first = rebalance(engine);
            h.exchange.broker(MAIN).submit("by-hand-1",
                    OrderSpec.marketQty(Symbol.of("DBC"), Side.BUY, BigDecimal.ONE));

            RebalanceOutcome mismatch = rebalance(engine);
            RebalanceOutcome halted = rebalance(engine);
            AccountCheck stillOff = engine.reconcile(MAIN);
            int submits = h.exchange.callCounts().get("submit");

            assertThat(first.status()).isEqualTo(TransactionStatus.COMPLETED);
            assertThat(mismatch.status() + " " + mismatch.errorCode()).isEqualTo("NEEDS_REVIEW RECONCILIATION_MISMATCH");
            assertThat(halted.status() + " " + halted.errorCode()).isEqualTo("ABORTED ACCOUNT_HALTED");
            assertThat(stillOff.agrees()).as("a check that found a mismatch is no baseline").isFalse();
            assertThat(stillOff.baseline()).isEqualTo(first.txId());
            assertThat(engine.status(MAIN).state()).isEqualTo(TradingState.HALTED);

            StateChange resume = engine.resume(MAIN, "DBC was bought by hand on purpose");
            AccountCheck rebaselined = engine.reconcile(MAIN);
            // moves within the 20 % outlier bound of the last good prices, together enough to drift past 5 %
            h.exchange.setPrice(Symbol.of("VTI"), new BigDecimal("287.50"));
            h.exchange.setPrice(Symbol.of("TLT"), new BigDecimal("76.50"));
            RebalanceOutcome trading = rebalance(engine);

            assertThat(resume.result()).isEqualTo(StateChange.Result.CHANGED);
            assertThat(resume.event().baseline().quantity(Symbol.of("DBC"))).isGreaterThan(BigDecimal.ONE);
            assertThat(rebaselined.agrees()).isTrue();
            assertThat(rebaselined.baseline()).startsWith("resume at ");
            assertThat(trading.status()).isEqualTo(TransactionStatus.COMPLETED);
            assertThat(h.exchange.callCounts().get("submit")).isGreaterThan(submits);
            assertThat(accountStream(h)).containsExactly(
                    "last-rebalance " + first.txId(),
                    "ACTIVE->HALTED ENGINE RECONCILIATION_MISMATCH " + mismatch.txId(),
                    "HALTED->ACTIVE OPERATOR null null",
                    "last-rebalance " + trading.txId());
        }
    }

    @Test
    void unresolvedSellHaltsTheAccountAndTheNextRebalanceSendsNothing() {
        try (Harness h = new Harness(dir, List.of(
                FaultRule.timeoutAfterAccept().withOp(BrokerCall.SUBMIT).withSymbol(Symbol.of("VTI")),
                FaultRule.serverError(503).withOp(BrokerCall.LOOKUP)))) {
            Engine engine = h.engine();
            RebalanceOutcome unresolved = rebalance(engine);
            RebalanceOutcome next = rebalance(engine);

            assertThat(unresolved.status()).isEqualTo(TransactionStatus.NEEDS_REVIEW);
            assertThat(accountStream(h)).containsExactly(
                    "ACTIVE->HALTED ENGINE " + unresolved.errorCode() + " " + unresolved.txId());
            assertThat(engine.status(MAIN).lastChange().reason()).contains("unresolved");
            assertThat(next.status() + " " + next.errorCode()).isEqualTo("ABORTED ACCOUNT_HALTED");
            assertThat(h.exchange.orderLog()).singleElement()
                    .satisfies(o -> assertThat(o.clientOrderId()).endsWith(":sell-VTI"));
            assertThat(titles(h)).containsExactly("Rebalance NEEDS_REVIEW for account main",
                    "Account main HALTED (was ACTIVE)", "Rebalance ABORTED for account main");
        }
    }

    @Test
    void resumeIsRefusedWhileAnOrderIsOpenAtTheBroker() {
        try (Harness h = new Harness(dir, List.of())) {
            Engine engine = h.engine();
            engine.halt(MAIN, "checking a stray order");
            BrokerOrder stray = h.exchange.broker(MAIN).submit("by-hand-2", OrderSpec.limit(Symbol.of("VTI"),
                    Side.BUY, BigDecimal.ONE, new BigDecimal("1.00"), TimeInForce.GTC));

            StateChange refused = engine.resume(MAIN, "looks fine");
            h.exchange.broker(MAIN).cancel(stray.brokerOrderId());
            StateChange resumed = engine.resume(MAIN, "stray order cancelled");

            assertThat(refused.result()).isEqualTo(StateChange.Result.REFUSED);
            assertThat(refused.message()).contains("1 open order(s)", "BUY 1 VTI @ 1.00");
            assertThat(resumed.result()).isEqualTo(StateChange.Result.CHANGED);
            assertThat(accountStream(h)).containsExactly("ACTIVE->HALTED OPERATOR null null",
                    "HALTED->ACTIVE OPERATOR null null");
            assertThat(engine.resume(MAIN, "again").result()).isEqualTo(StateChange.Result.UNCHANGED);
        }
    }

    @Test
    void operatorHaltDuringARebalanceStopsItsBuysAfterTheSell() {
        try (Harness h = new Harness(dir, List.of())) {
            Engine engine = h.engine();
            ProgressListener haltAfterTheSell = new ProgressListener() {
                @Override
                public void orderFinished(OrderResult r) {
                    if (r.side() == Side.SELL) {
                        engine.halt(MAIN, "halted from another terminal");
                    }
                }
            };

            RebalanceOutcome outcome = engine.rebalance(MAIN, null, haltAfterTheSell);

            assertThat(outcome.status()).isEqualTo(TransactionStatus.PARTIAL);
            assertThat(outcome.errorCode()).isEqualTo(ErrorCode.ACCOUNT_HALTED);
            assertThat(results(outcome)).containsEntry("sell-VTI", "SUCCESS")
                    .containsEntry("buy-TLT", "SKIPPED ACCOUNT_HALTED").hasSize(5);
            assertThat(h.eventKinds(outcome.txId())).doesNotContain("BuysSized");
            assertThat(h.exchange.orderLog()).hasSize(1);
        }
    }
}
