package dev.keel.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.model.Symbol;
import dev.keel.core.model.TransactionStatus;
import dev.keel.paper.BrokerCall;
import dev.keel.paper.FaultRule;
import dev.keel.paper.RejectReason;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The laws hold over thousands of seeded scenarios, and the checker is shown to bite. */
class SimulationTest {
    /** Seeds every build runs; a longer soak is one command: {@code ./keel sim --seeds 100000}. */
    static final int CI_SEEDS = 2_000;

    /**
     * The seeds every build runs, a third of them with one or two concurrent steps (a rebalance, a second process's
     * recovery, a watch pass, an operator's halt, an order operation and now and then a clean shutdown meeting on one
     * account, interleaved by the seed); the other seeds run as they ran before the scheduler existed. Against the
     * engine before the account session it failed, each failing seed a replayable reproduction of issue 10's findings
     * (replay one with {@code ./keel sim --seeds 1 --from S --trace} at commit c80f5ac, the scheduler over that engine):
     * <ul>
     * <li>finding 1, a recovery folded before the lock re-runs a transaction another caller ended: seeds 76, 89, 105
     * (ended twice), 152 (three times), 1035 (resumed after its end), 236, 933 (notified twice);</li>
     * <li>finding 2, ACCOUNT_LOCKED escapes a rebalance's recovery with no ABORTED record (law 8): 536, 1121, 1919;</li>
     * <li>finding 3, an operator's halt appended from a stale read (law 9's moves): 8, 125, 535;</li>
     * <li>finding 4, a failure before the transaction started is reported under an id the journal never heard of:
     * 92, 336, 584;</li>
     * <li>finding 5, a stale writer appends an event the fold refuses, and every later fold throws: 319, 657;</li>
     * <li>finding 6, a clean shutdown (an interrupt) closes the transaction NEEDS_REVIEW: 185, 284, 733.</li>
     * </ul>
     */
    @Test
    void everyLawHoldsOverTwoThousandSeededScenariosWithCrashesFaultsAndCallersMeeting() {
        SimRunner.Summary summary = SimRunner.run(SimRunner.Options.of(1, CI_SEEDS), (r, done) -> { });

        assertThat(summary.scenarios()).isEqualTo(CI_SEEDS);
        assertThat(summary.violations()).as(() -> summary.violations().stream().limit(5)
                .map(v -> v.headline() + "\n  replay: ./keel sim --seeds 1 --from " + v.seed() + " --trace")
                .collect(Collectors.joining("\n"))).isEmpty();
        assertThat(summary.crashes()).as("crash-restarts exercised").isGreaterThan(CI_SEEDS / 2);
        assertThat(summary.faults().keySet()).as("every fault kind injected").containsExactlyInAnyOrder(
                "reject", "rate-limited", "server-error", "timeout-before-accept", "timeout-after-accept",
                "connection-reset", "slow", "partial-fill", "no-fill", "stale-quote", "no-quote");
        assertThat(summary.outcomes().keySet()).as("every terminal state reached")
                .contains("COMPLETED", "PARTIAL", "FAILED", "ABORTED", "NEEDS_REVIEW");
        assertThat(summary.journalFailures()).as("refused journal appends exercised").isPositive();
        assertThat(summary.moves().keySet()).as("accounts halted by Keel and resumed by the operator")
                .contains("ACTIVE->HALTED", "HALTED->ACTIVE");
        System.out.println("trading-state moves over " + CI_SEEDS + " seeds: " + summary.moves());
        assertThat(summary.marketData()).as("market-data checks exercised").containsKeys("trusted", "degraded",
                "untrusted", "check:stale", "check:outlier", "check:missing");
        System.out.println("order operations over " + CI_SEEDS + " seeds: " + summary.operations());
        assertThat(summary.operations()).as("order operations exercised, to their ends").containsKeys(
                "BRACKET_ORDER COMPLETED", "BRACKET_ORDER ROLLED_BACK", "BRACKET_ORDER NEEDS_REVIEW",
                "OCO_PAIR COMPLETED", "ORDER_MODIFICATION COMPLETED", "ORDER_MODIFICATION FAILED",
                "POSITION_CLOSE COMPLETED", "BULK_CANCEL COMPLETED", "OCO_ENFORCEMENT COMPLETED");
        System.out.println("alerts over " + CI_SEEDS + " seeds: " + summary.alerts());
        assertThat(summary.alerts()).as("alerts raised, escalated to every tier, acknowledged, resolved, raced")
                .containsKeys("raised CRITICAL", "raised HIGH", "raised MEDIUM", "escalated to tier 1",
                        "escalated to tier 2", "escalated to tier 3", "last tier reached CRITICAL", "acknowledged",
                        "resolved", "raced passes");
    }

    /**
     * Found by the simulation (first as seeds 349, 908 and 989): a bracket's pair and an OCO pair on the same shares of
     * an emulated exchange protect more than is held. The watch chose the older pair to cut, but its enforcement judged
     * the link with the link moved to the end of the list, found another pair "first to cut" and did nothing, pass after
     * pass: protection outlived its position. Built by hand so no change to the generator can lose it.
     */
    @Test
    void overProtectionOfAnEmulatedPairIsCutByTheWatch() {
        Symbol dbc = Symbol.of("DBC");
        Scenario.AccountSetup account = new Scenario.AccountSetup("acct-0", 9, new BigDecimal("10000.00"), Map.of(),
                Map.of(dbc, new BigDecimal("100.00")), Map.of(dbc, BigDecimal.ONE), new BigDecimal("0.05"),
                new BigDecimal("10.00"), new BigDecimal("0.01"), List.of(), Duration.ZERO, null, 2, true, false);
        Scenario scenario = new Scenario(1, ScenarioGenerator.START, List.of(account), List.of(
                new Scenario.Bracket("acct-0", dbc, new BigDecimal("7"), null, new BigDecimal("0.05"), null,
                        new BigDecimal("0.05")),
                new Scenario.Oco("acct-0", dbc, new BigDecimal("0.86"), new BigDecimal("0.04"), null,
                        new BigDecimal("0.04")),
                new Scenario.Watch("acct-0")), new TreeSet<>(), new TreeSet<>(), 0.0, Set.of());

        History history = Simulation.run(scenario);

        assertThat(HistoryChecker.check(history)).isEmpty();
        List<String> working = history.orders().get("acct-0").stream().filter(o -> o.state().isLive())
                .map(o -> o.clientOrderId()).toList();
        assertThat(working).as("the bracket's pair was cut; the OCO pair protects the 7 held")
                .containsExactlyInAnyOrder("tx1-2:protect-1-tp", "tx1-2:protect-1-sl");
        assertThat(history.last().get("acct-0").quantity(dbc)).isEqualByComparingTo("7");
    }

    /**
     * Found by the soak (seed 3008532, outside CI's range): a bracket's protective pair timed out before the broker took
     * it, and the lookups that had to resolve its legs failed and then waited on an open lookup breaker. The protection
     * grace bounded a second submit but not the lookups, so the bracket rolled back a minute after the grace: rule 13.
     * An engine bug, pinned by the hand-built case {@code BracketScenariosTest.protectionStillUnknownWhenTheGraceRuns
     * Out...}. The seed no longer builds that bracket: since a submit's answer is journaled with the next append
     * (issue 15), the seeded crashes land on other appends and its history took another path, on which every law
     * must still hold.
     */
    @Test
    void seed3008532KeepsEveryLaw() {
        History history = Simulation.run(ScenarioGenerator.generate(3008532, 20));

        assertThat(HistoryChecker.check(history)).isEmpty();
        assertThat(history.journal()).map(JournalRecord::event).filteredOn(TransactionEnded.class::isInstance)
                .as("the seed still runs its operations to an end").hasSizeGreaterThan(20);
    }

    @Test
    void aConcurrentSeedReplaysByteForByte() {
        for (long seed : new long[] {76, 376}) {
            Scenario scenario = ScenarioGenerator.generate(seed, 20);
            assertThat(scenario.work()).as("seed " + seed + " has a concurrent step")
                    .anyMatch(Scenario.Concurrent.class::isInstance);
            History first = Simulation.run(scenario);
            History second = Simulation.run(scenario);

            assertThat(second.journal().toString()).isEqualTo(first.journal().toString());
            assertThat(second.wire()).isEqualTo(first.wire());
            assertThat(second.trace()).isEqualTo(first.trace());
        }
    }

    @Test
    void aSeedWithoutConcurrentStepsIsTheScenarioItWasBefore() {
        for (long seed = 1; seed <= 200; seed++) {
            Scenario with = ScenarioGenerator.generate(seed, 20, true);
            Scenario without = ScenarioGenerator.generate(seed, 20, false);

            assertThat(with.work().stream().filter(s -> !(s instanceof Scenario.Concurrent)).toList())
                    .as("seed " + seed + ": concurrent steps are only inserted").isEqualTo(without.work());
            assertThat(with.accounts()).isEqualTo(without.accounts());
            assertThat(with.crashSteps()).isEqualTo(without.crashSteps());
        }
    }

    /**
     * Finding 13, the simulator's half: a scenario that throws is a finding with its seed and the exception (the CLI
     * prints the replay command under every finding), and the run goes on with the next seed.
     */
    @Test
    void aScenarioThatThrowsIsAFindingAndTheRunGoesOn() {
        Symbol vti = Symbol.of("VTI");
        Scenario.AccountSetup account = new Scenario.AccountSetup("acct-0", 9, new BigDecimal("10000.00"), Map.of(),
                Map.of(vti, new BigDecimal("100.00")), Map.of(vti, BigDecimal.ONE), new BigDecimal("0.05"),
                new BigDecimal("10.00"), new BigDecimal("0.01"), List.of(), Duration.ZERO, null, 2, true, true);
        // a step on an account the engine was not configured with: the engine throws CONFIG_INVALID to its caller
        Scenario throwing = new Scenario(2, ScenarioGenerator.START, List.of(account), List.of(
                new Scenario.Rebalance("acct-0"), new Scenario.Rebalance("acct-9")), new TreeSet<>(), new TreeSet<>(),
                0.0, Set.of());

        SimRunner.Summary summary = SimRunner.run(SimRunner.Options.of(1, 3).withConcurrency(false),
                (r, done) -> { }, seed -> seed == 2 ? throwing : ScenarioGenerator.generate(seed, 20, false));

        assertThat(summary.scenarios()).as("the run went on past the seed that threw").isEqualTo(3);
        assertThat(summary.violations()).singleElement().satisfies(v -> {
            assertThat(v.seed()).isEqualTo(2);
            assertThat(v.law()).isEqualTo(HistoryChecker.CALLER_RULE);
            assertThat(v.headline()).contains("seed 2: law 17 broken: the scenario threw "
                    + "dev.keel.core.error.KeelException: no account 'acct-9' in the configuration");
            assertThat(v.context()).anyMatch(line -> line.contains("at dev.keel.core.engine.Engine.account"));
        });
    }

    @Test
    void sameSeedGivesTheSameHistoryByteForByte() {
        for (long seed : new long[] {7, 3448, 15133}) {
            Scenario scenario = ScenarioGenerator.generate(seed, 20);
            History first = Simulation.run(scenario);
            History second = Simulation.run(scenario);

            assertThat(second.journal().toString()).isEqualTo(first.journal().toString());
            assertThat(second.wire()).isEqualTo(first.wire());
            assertThat(second.orders()).isEqualTo(first.orders());
            assertThat(second.trace()).isEqualTo(first.trace());
        }
    }

    /**
     * Found by the simulation (first as seeds 3448 and 15133): a broker whose lookups lag past the grace period
     * answered "not found" for an order it held; Keel resubmitted the same id, the resubmit was refused, the intent
     * was given up, and the hidden order filled minutes later without anyone noticing. Built by hand so no change to
     * the generator can lose it: the next rebalance's account check must put the account in review.
     */
    @Test
    void fillOfAnOrderTheBrokerHidPastTheGracePeriodPutsTheAccountInReview() {
        Symbol vti = Symbol.of("VTI");
        Scenario.AccountSetup account = new Scenario.AccountSetup("acct-0", 9, new BigDecimal("10000.00"), Map.of(),
                Map.of(vti, new BigDecimal("100.00")), Map.of(vti, BigDecimal.ONE), new BigDecimal("0.05"),
                new BigDecimal("10.00"), new BigDecimal("0.01"), List.of(
                        FaultRule.timeoutAfterAccept().withOp(BrokerCall.SUBMIT).withSymbol(vti).withTimes(1),
                        FaultRule.reject(RejectReason.SYMBOL_NOT_FOUND).withOp(BrokerCall.SUBMIT).withSymbol(vti)
                                .withNth(2)),
                Duration.ofSeconds(3), Duration.ofSeconds(150), 2, true, true);
        Scenario scenario = new Scenario(1, ScenarioGenerator.START, List.of(account), List.of(
                new Scenario.Rebalance("acct-0"), new Scenario.AdvanceTime(Duration.ofMinutes(5)),
                new Scenario.Rebalance("acct-0")), new TreeSet<>(), new TreeSet<>(), 0.0, Set.of());

        History history = Simulation.run(scenario);

        assertThat(HistoryChecker.check(history)).isEmpty();
        List<TransactionEnded> ends = history.journal().stream().map(JournalRecord::event)
                .filter(TransactionEnded.class::isInstance).map(TransactionEnded.class::cast).toList();
        assertThat(ends.get(0).status()).as("the hidden order was given up").isIn(TransactionStatus.FAILED,
                TransactionStatus.PARTIAL);
        assertThat(ends.get(1).status()).isEqualTo(TransactionStatus.NEEDS_REVIEW);
        assertThat(ends.get(1).errorCode()).isEqualTo(ErrorCode.RECONCILIATION_MISMATCH);
        assertThat(ends.get(1).errorMessage()).contains("VTI: the journal expects 0 shares, the broker holds");
        assertThat(history.last().get("acct-0").quantity(vti)).as("the hidden order did fill").isPositive();
    }

    /** Each planted bug breaks its law, and the checker says so within a few hundred seeds. */
    @ParameterizedTest
    @MethodSource("plantedBugs")
    void plantedBugIsCaught(PlantedBug bug, Set<Integer> laws) {
        SimRunner.Summary summary = SimRunner.run(new SimRunner.Options(1, 300, 20, null,
                Runtime.getRuntime().availableProcessors(), Set.of(bug), false), (r, done) -> { });

        assertThat(summary.violations()).as(bug + " must be caught").isNotEmpty();
        assertThat(summary.violations()).extracting(Violation::law).containsAnyElementsOf(laws);
    }

    /**
     * The account session's bugs (issue 10, findings 1-3), planted back where the session fixed them, each caught in
     * seeds where callers meet on one account. The lease's re-read and the ending's check each stop finding 1 alone;
     * planted together they give the second ending the review found. And issue 12's fencing taken away: a holder that
     * stalled past its lease writes after another took the account over.
     */
    @ParameterizedTest
    @MethodSource("plantedSessionBugs")
    void plantedSessionBugIsCaughtWhenCallersMeet(Set<PlantedBug> bugs, Set<Integer> laws, int seeds) {
        SimRunner.Summary summary = SimRunner.run(new SimRunner.Options(1, seeds, 20, null,
                Runtime.getRuntime().availableProcessors(), bugs, true), (r, done) -> { });

        assertThat(summary.violations()).as(bugs + " must be caught").isNotEmpty();
        assertThat(summary.violations()).extracting(Violation::law).containsAnyElementsOf(laws);
    }

    /**
     * The escalator's bugs, each caught by law 8's escalation check: an escalation without its page, an escalator that
     * stops after the first tier, one that counts tiers in memory (so a restarted or second escalator escalates every
     * due tier again), and one that escalates acknowledged alerts.
     */
    @ParameterizedTest
    @MethodSource("plantedEscalationBugs")
    void plantedEscalationBugIsCaught(PlantedBug bug, String finding) {
        SimRunner.Summary summary = SimRunner.run(new SimRunner.Options(1, 300, 20, null,
                Runtime.getRuntime().availableProcessors(), Set.of(bug), true), (r, done) -> { });

        assertThat(summary.violations()).as(bug + " must be caught").isNotEmpty();
        assertThat(summary.violations()).filteredOn(v -> v.law() == EscalationCheck.LAW)
                .extracting(Violation::message).anyMatch(m -> m.contains(finding));
    }

    static List<Arguments> plantedEscalationBugs() {
        return List.of(
                Arguments.of(PlantedBug.ESCALATION_WITHOUT_NOTIFICATION, "without the notification that pages"),
                Arguments.of(PlantedBug.ESCALATION_STOPS_AFTER_FIRST_TIER, "left it unescalated"),
                Arguments.of(PlantedBug.ESCALATION_TIER_IN_MEMORY, "escalated again"),
                Arguments.of(PlantedBug.ESCALATION_IGNORES_ACK, "after it was acknowledged"));
    }

    static List<Arguments> plantedSessionBugs() {
        return List.of(
                Arguments.of(Set.of(PlantedBug.STALE_FOLD_BEFORE_LEASE), Set.of(6), 600),
                Arguments.of(Set.of(PlantedBug.STALE_FOLD_BEFORE_LEASE, PlantedBug.SECOND_ENDING), Set.of(6), 600),
                // Needs another caller's state move to land inside a rebalance's session: about 1 seed in 200 (seeds
                // 625, 980, 1171, 1211, 1224, 1276, 1351... of the first 1,500; it was 12, 980... before a rebalance's
                // buys were intended in one append: the same rate, a later first seed).
                Arguments.of(Set.of(PlantedBug.STALE_STATE_MOVE), Set.of(9), 1500),
                Arguments.of(Set.of(PlantedBug.LOCK_REFUSAL_UNRECORDED), Set.of(8), 600),
                Arguments.of(Set.of(PlantedBug.UNFENCED_SESSION), Set.of(13), 600));
    }

    static List<Arguments> plantedBugs() {
        return List.of(
                Arguments.of(PlantedBug.BLIND_RESUBMIT_ON_TIMEOUT, Set.of(3)),
                Arguments.of(PlantedBug.NEW_CLIENT_ORDER_ID_PER_ATTEMPT, Set.of(1, 2)),
                Arguments.of(PlantedBug.FAILED_LOOKUP_AS_NOT_FOUND, Set.of(4)),
                Arguments.of(PlantedBug.BUYS_BEFORE_SELLS, Set.of(5)),
                Arguments.of(PlantedBug.NO_TERMINAL_STATE_AFTER_CRASH, Set.of(6)),
                Arguments.of(PlantedBug.SKIP_NOTIFICATION, Set.of(8)),
                Arguments.of(PlantedBug.IGNORE_TRADING_STATE, Set.of(9)),
                Arguments.of(PlantedBug.TRUST_EVERY_QUOTE, Set.of(HistoryChecker.UNTRUSTED_DATA_LAW)),
                Arguments.of(PlantedBug.DOUBLE_FILL_NOT_FLATTENED, Set.of(HistoryChecker.DOUBLE_FILL_RULE)),
                Arguments.of(PlantedBug.STALE_WORKING_NOTE, Set.of(HistoryChecker.WORKING_INDEX_RULE)));
    }
}
