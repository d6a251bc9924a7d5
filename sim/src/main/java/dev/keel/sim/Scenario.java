package dev.keel.sim;

import dev.keel.core.execution.PlantedBug;
import dev.keel.core.model.Symbol;
import dev.keel.paper.FaultRule;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything one simulated run does, drawn from one seed: the accounts and their exchanges, the work, where the
 * engine dies and where the disk fills up. Same scenario, same history.
 *
 * @param crashSteps      steps (journal appends and broker calls, counted) at which the engine dies
 * @param journalFailures steps at which a journal append fails and the engine lives on
 * @param notifyFailure   the chance that the notification channel fails one delivery
 * @param plantedBugs     bugs planted on purpose, to show the checker finds them; empty for real runs
 */
record Scenario(long seed, Instant start, List<AccountSetup> accounts, List<Step> work, TreeSet<Long> crashSteps,
                TreeSet<Long> journalFailures, double notifyFailure, Set<PlantedBug> plantedBugs) {

    /**
     * One account and its exchange.
     *
     * @param exchangeSeed  the exchange's own seed (prices, fault draws)
     * @param visibilityLag how long a new order stays invisible to lookups
     * @param delayedFill   how long fills take, or null for immediate fills
     * @param fallbacks     how many of the paper feed's sources back the live quotes: 0, 1 (delayed) or 2 (and the
     *                      last close)
     * @param allowDegraded whether a quote that passed only on a fallback market-data source may size an order
     */
    record AccountSetup(String id, long exchangeSeed, BigDecimal cash, Map<Symbol, BigDecimal> positions,
                        Map<Symbol, BigDecimal> prices, Map<Symbol, BigDecimal> targets, BigDecimal driftThreshold,
                        BigDecimal minTrade, BigDecimal cashBuffer, List<FaultRule> faults, Duration visibilityLag,
                        Duration delayedFill, int fallbacks, boolean allowDegraded) {
    }

    /** One piece of work. */
    sealed interface Step permits Rebalance, MovePrices, AdvanceTime, Resume {
    }

    /** Rebalance an account. */
    record Rebalance(String accountId) implements Step {
    }

    /** The market moves: new mid prices at one account's exchange, now and then one of them a wild jump. */
    record MovePrices(String accountId, Map<Symbol, BigDecimal> prices) implements Step {
    }

    /** Time passes (delayed fills land, breakers half-open). */
    record AdvanceTime(Duration duration) implements Step {
    }

    /** An operator looks at the account and, if it is HALTED, resumes it ({@code keel account resume}). */
    record Resume(String accountId) implements Step {
    }

    Scenario withPlantedBugs(Set<PlantedBug> bugs) {
        return new Scenario(seed, start, accounts, work, crashSteps, journalFailures, notifyFailure, bugs);
    }
}
