package dev.keel.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.journal.AlertAcknowledged;
import dev.keel.core.journal.AlertEscalated;
import dev.keel.core.journal.AlertRaised;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.LastRebalanceMoved;
import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.journal.NotificationQueued;
import dev.keel.core.journal.TradingStateChanged;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionResumed;
import dev.keel.core.journal.TransactionStarted;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TradingState;
import dev.keel.core.model.TransactionStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import dev.keel.notify.alert.EscalationPolicy;
import org.junit.jupiter.api.Test;

/**
 * The checker's rules for operations that meet on one account (issue 10), each shown on a hand-written journal: what
 * a second caller re-running a saga on a stale fold leaves, and state moves made from a stale read.
 */
class HistoryCheckerTest {
    private static final String ACCOUNT = "acct-0";
    private static final Instant AT = ScenarioGenerator.START;
    private static final AccountSnapshot EMPTY = new AccountSnapshot(ACCOUNT, new BigDecimal("1000.00"),
            new BigDecimal("1000.00"), List.of(), AT);

    private static List<Violation> check(JournalEvent... events) {
        return check(null, List.of(events).stream().map(List::of).toList());
    }

    /** A history of {@code appends} (each one append of its events), judged with {@code alerting}. */
    private static List<Violation> check(SimAlerting alerting, List<List<JournalEvent>> appends) {
        MemoryJournal journal = new MemoryJournal();
        for (List<JournalEvent> append : appends) {
            journal.appendAll(append);
        }
        Symbol vti = Symbol.of("VTI");
        Scenario.AccountSetup account = new Scenario.AccountSetup(ACCOUNT, 1, new BigDecimal("1000.00"), Map.of(),
                Map.of(vti, new BigDecimal("100.00")), Map.of(vti, BigDecimal.ONE), new BigDecimal("0.05"),
                new BigDecimal("10.00"), new BigDecimal("0.01"), List.of(), Duration.ZERO, null, 2, true, true);
        Scenario scenario = new Scenario(9, AT, List.of(account), List.of(), new TreeSet<>(), new TreeSet<>(), 0.0,
                Set.of(), Scenario.DEFAULT_LEASE_TIMEOUT, alerting);
        History history = new History(scenario, journal.all(), Map.of(ACCOUNT, List.of()), List.of(),
                Map.of(ACCOUNT, EMPTY), Map.of(ACCOUNT, EMPTY), List.of(), 0, 0, Duration.ofSeconds(2), List.of(),
                Map.of(), List.of(), true);
        return HistoryChecker.check(history);
    }

    private static TransactionStarted started(String txId) {
        return new TransactionStarted(txId, ACCOUNT, "rebalance", txId, List.of(), EMPTY, BigDecimal.ZERO, AT);
    }

    private static TransactionEnded ended(String txId, TransactionStatus status) {
        return new TransactionEnded(txId, ACCOUNT, status, status == TransactionStatus.COMPLETED ? null
                : ErrorCode.INTERNAL_ERROR, null, null, AT);
    }

    private static TradingStateChanged move(TradingState from, TradingState to, TradingState.Actor actor) {
        return new TradingStateChanged(ACCOUNT, from, to, "a test", actor == TradingState.Actor.ENGINE
                ? ErrorCode.RECONCILIATION_MISMATCH : null, actor, null, null, AT);
    }

    private static NotificationQueued notified(String id, String txId) {
        return new NotificationQueued(id, ACCOUNT, txId, Severity.HIGH, "Rebalance FAILED for account " + ACCOUNT,
                "why", AT);
    }

    @Test
    void aCleanHistoryBreaksNoLaw() {
        assertThat(check(started("tx1-1"), ended("tx1-1", TransactionStatus.FAILED), notified("n1", "tx1-1"),
                move(TradingState.ACTIVE, TradingState.HALTED, TradingState.Actor.OPERATOR),
                move(TradingState.HALTED, TradingState.ACTIVE, TradingState.Actor.OPERATOR))).isEmpty();
    }

    @Test
    void aTransactionResumedAfterItEndedBreaksLawSix() {
        assertThat(check(started("tx1-1"), ended("tx1-1", TransactionStatus.COMPLETED),
                new TransactionResumed("tx1-1", ACCOUNT, "engine restarted with the transaction in progress", AT)))
                .extracting(Violation::law, Violation::message).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(6, "resumed after it had ended"));
    }

    @Test
    void aSecondTerminalNotificationForOneTransactionBreaksLawSix() {
        assertThat(check(started("tx1-1"), ended("tx1-1", TransactionStatus.FAILED), notified("n1", "tx1-1"),
                notified("n2", "tx1-1")))
                .extracting(Violation::law, Violation::message).containsExactly(org.assertj.core.groups.Tuple.tuple(
                        6, "notified twice: Rebalance FAILED for account " + ACCOUNT));
    }

    @Test
    void lastRebalanceMovedTwiceForOneTransactionBreaksLawSix() {
        LastRebalanceMoved moved = new LastRebalanceMoved(ACCOUNT, "tx1-1", LocalDate.of(2026, 3, 2), AT);

        assertThat(check(started("tx1-1"), ended("tx1-1", TransactionStatus.COMPLETED), moved, moved))
                .extracting(Violation::law, Violation::message).containsExactly(org.assertj.core.groups.Tuple.tuple(
                        6, "last-rebalance moved twice for one transaction"));
    }

    @Test
    void anOperatorsHaltLiftedByTheEngineBreaksLawNine() {
        assertThat(check(move(TradingState.ACTIVE, TradingState.REDUCING, TradingState.Actor.ENGINE),
                move(TradingState.REDUCING, TradingState.HALTED, TradingState.Actor.OPERATOR),
                move(TradingState.REDUCING, TradingState.ACTIVE, TradingState.Actor.ENGINE)))
                .extracting(Violation::law).containsExactly(9);
    }

    @Test
    void aMoveFromAStateTheAccountWasNotInBreaksLawNine() {
        List<Violation> violations = check(move(TradingState.ACTIVE, TradingState.HALTED,
                TradingState.Actor.OPERATOR), move(TradingState.ACTIVE, TradingState.HALTED,
                TradingState.Actor.OPERATOR));

        assertThat(violations).extracting(Violation::law).containsExactly(9);
        assertThat(violations.get(0).message()).contains("while the account was HALTED (a move from a stale read)");
    }

    /** CRITICAL escalates after 5 and then 20 minutes, to the simulation's channel. */
    private static final SimAlerting TWO_TIERS = new SimAlerting(new EscalationPolicy(Severity.MEDIUM,
            Map.of(Severity.CRITICAL, List.of(new EscalationPolicy.Tier(Duration.ofMinutes(5), SimAlerting.CHANNEL),
                    new EscalationPolicy.Tier(Duration.ofMinutes(20), SimAlerting.CHANNEL)))),
            SimAlerting.PASS_INTERVAL, 0, 1);

    private static List<JournalEvent> raised() {
        NotificationQueued page = new NotificationQueued("n1", ACCOUNT, "tx1-1", Severity.CRITICAL,
                "Transaction tx1-1 needs review", "why", AT);
        return List.of(page, new AlertRaised("n1", ACCOUNT, "n1", "tx1-1", null, Severity.CRITICAL, page.title(), AT,
                AT));
    }

    private static List<JournalEvent> escalated(int tier, boolean withPage) {
        Instant at = AT.plus(Duration.ofMinutes(tier == 1 ? 5 : 20));
        AlertEscalated e = new AlertEscalated("n1", ACCOUNT, tier, SimAlerting.CHANNEL, "p" + tier, at);
        return withPage ? List.of(e, new NotificationQueued("p" + tier, ACCOUNT, "tx1-1", Severity.CRITICAL,
                "ESCALATED (tier " + tier + ")", "why", at, null, SimAlerting.CHANNEL)) : List.of(e);
    }

    @Test
    void anUnacknowledgedCriticalThatReachedItsLastTierOnceEachBreaksNoLaw() {
        assertThat(check(TWO_TIERS, List.of(raised(), escalated(1, true), escalated(2, true)))).isEmpty();
    }

    @Test
    void anUnacknowledgedCriticalShortOfItsLastTierIsLeftInTheDark() {
        assertThat(check(TWO_TIERS, List.of(raised(), escalated(1, true)))).extracting(Violation::law,
                Violation::message).containsExactly(org.assertj.core.groups.Tuple.tuple(8, "CRITICAL alert (2 tier(s))"
                + " reached tier 1 of 2 and nobody acknowledged it: left in the dark"));
    }

    @Test
    void anAcknowledgedAlertNeedNotReachItsLastTierButMustNotEscalateAfterTheAck() {
        List<JournalEvent> ack = List.of(new AlertAcknowledged("n1", ACCOUNT, "ops", null, AT.plusSeconds(400)));

        assertThat(check(TWO_TIERS, List.of(raised(), escalated(1, true), ack))).isEmpty();
        assertThat(check(TWO_TIERS, List.of(raised(), escalated(1, true), ack, escalated(2, true))))
                .extracting(Violation::message).containsExactly("CRITICAL alert (2 tier(s)): escalated to tier 2 after "
                        + "it was acknowledged");
    }

    @Test
    void aTierEscalatedTwiceOrWithoutItsPageInTheSameAppendBreaksLawEight() {
        assertThat(check(TWO_TIERS, List.of(raised(), escalated(1, true), escalated(1, true), escalated(2, true))))
                .filteredOn(v -> v.law() == 8).extracting(Violation::message).containsExactly("CRITICAL alert (2 tier(s)): tier 1 escalated again");
        assertThat(check(TWO_TIERS, List.of(raised(), escalated(1, false), escalated(2, true))))
                .extracting(Violation::message).containsExactly("CRITICAL alert (2 tier(s)): escalated to tier 1 "
                        + "without the notification that pages [sim] in the same append");
    }

    @Test
    void aNotificationThatShouldRaiseAnAlertAndDidNotBreaksLawEight() {
        assertThat(check(TWO_TIERS, List.of(List.of(raised().getFirst())))).extracting(Violation::message)
                .containsExactly("a CRITICAL notification never raised its alert, so nothing escalates it: "
                        + "Transaction tx1-1 needs review");
    }

    @Test
    void findingsOfTheRunAreViolationsAndAHistoryCutShortIsJudgedByThemAlone() {
        Violation threw = new Violation(9, HistoryChecker.CALLER_RULE, null, null, "the scenario threw x", List.of());
        MemoryJournal journal = new MemoryJournal();
        journal.append(started("tx1-1")); // in progress: law 6 would fire on a history that ran to its end
        Scenario scenario = new Scenario(9, AT, List.of(), List.of(), new TreeSet<>(), new TreeSet<>(), 0.0,
                Set.of());
        History cutShort = new History(scenario, journal.all(), Map.of(), List.of(), Map.of(), Map.of(), List.of(),
                0, 0, Duration.ofSeconds(2), List.of(), Map.of(), List.of(threw), false);

        assertThat(HistoryChecker.check(cutShort)).containsExactly(threw);
    }

    /**
     * Rule 19 bites: a report that folds the marked transactions but not those still open says no order is in flight
     * while one is, and the check names the meter; the report as built says what the records say.
     */
    @Test
    void aHealthReportThatSkipsTheOpenTransactionsBreaksRule19() {
        String tx = "rb-1";
        List<dev.keel.core.journal.JournalRecord> records = new java.util.ArrayList<>();
        MemoryJournal journal = new MemoryJournal();
        records.add(journal.append(new TransactionStarted(tx, ACCOUNT, "rebalance", tx, List.of(), EMPTY,
                BigDecimal.ZERO, AT)));
        records.add(journal.append(new dev.keel.core.journal.OrderIntentRecorded(tx, ACCOUNT, "buy-VTI", tx
                + ":buy-VTI", dev.keel.core.model.OrderSpec.marketQty(Symbol.of("VTI"), dev.keel.core.model.Side.BUY,
                BigDecimal.ONE), AT.plusSeconds(1))));
        HistoryChecker.Report skipsOpen = (j, clock, window) -> dev.keel.core.metrics.Health.assess(
                new dev.keel.core.journal.ForwardingJournal(j) {
                    @Override
                    public List<String> openStreams(String kind) {
                        return List.of();
                    }
                }, clock, window, List.of()).metrics();

        assertThat(HistoryChecker.reportDifferences(records, skipsOpen)).anySatisfy(d -> assertThat(d)
                .contains("keel.orders.inflight: the report says 0.0, the records 1.0"));
        assertThat(HistoryChecker.reportDifferences(records, (j, clock, window) -> dev.keel.core.metrics.Health
                .assess(j, clock, window, List.of()).metrics())).isEmpty();
    }
}
