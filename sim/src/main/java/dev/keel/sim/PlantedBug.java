package dev.keel.sim;

import dev.keel.core.execution.SimulationHooks;
import java.util.Set;

/**
 * Deliberate bugs the simulation plants to prove its history checker bites (FoundationDB's BUGGIFY in spirit): a
 * checker that cannot fail proves nothing. Each breaks one law of the architecture in the way real systems do, at
 * one of the engine's {@link SimulationHooks} ({@link #hooks}); production runs {@link SimulationHooks#NONE}, and the
 * configuration file has no key for them.
 */
public enum PlantedBug {
    /** Law 3: an ambiguous submit is retried at once, without asking the broker. */
    BLIND_RESUBMIT_ON_TIMEOUT,
    /** Law 2: every submit attempt gets a fresh client order id, so the broker cannot dedupe. */
    NEW_CLIENT_ORDER_ID_PER_ATTEMPT,
    /** Law 4: a lookup that failed is journaled as "not found", so the order is taken to be absent. */
    FAILED_LOOKUP_AS_NOT_FOUND,
    /** Law 5: buys are sent before the sells, sized on the planned cash. */
    BUYS_BEFORE_SELLS,
    /** Law 6: start-up recovery skips transactions left in progress. */
    NO_TERMINAL_STATE_AFTER_CRASH,
    /** Law 8: the terminal state is journaled without its notification. */
    SKIP_NOTIFICATION,
    /** Law 9: a HALTED or REDUCING account trades as if ACTIVE (the states are still journaled). */
    IGNORE_TRADING_STATE,
    /** Law 12: the first quote any market-data source answers is trusted, unchecked. */
    TRUST_EVERY_QUOTE,
    /**
     * The simulation's rule 15: an OCO enforcement sees both legs of a pair filled and neither journals the double fill
     * nor buys the excess back; it only cancels what still works.
     */
    DOUBLE_FILL_NOT_FLATTENED,
    /**
     * The simulation's rule 18: the protection watch notes what each transaction leaves working from its first scan,
     * read before its enforcements wrote, and without the condition that the stream still ends where it read it.
     */
    STALE_WORKING_NOTE,
    /**
     * Law 13 (issue 10, finding 1): recovery lists and folds an account's open transactions before it takes the
     * account's lease, and resumes those folds; a caller that waited behind another resumes what that one ended.
     */
    STALE_FOLD_BEFORE_LEASE,
    /** Law 6: an ending neither checks that its transaction is still open nor refuses a second ending. */
    SECOND_ENDING,
    /**
     * Law 9 (finding 3): an ending's trading-state move is decided on a read taken before its append (when the
     * account's session opened) and written unconditionally, so an operator's halt that lands in between is undone.
     */
    STALE_STATE_MOVE,
    /** Law 8 (finding 2): work that cannot get the account's lease throws, with no record and no notification. */
    LOCK_REFUSAL_UNRECORDED,
    /**
     * Law 13 across processes (issue 12): a lease holder writes without its fencing token, so a holder that stalled
     * past its lease and woke up after another took the account over still writes the account's work.
     */
    UNFENCED_SESSION,
    /** Law 8, escalation: an alert's escalation is journaled without the notification that pages the next tier. */
    ESCALATION_WITHOUT_NOTIFICATION,
    /** Law 8, escalation: the escalator stops after an alert's first tier; the later tiers never come. */
    ESCALATION_STOPS_AFTER_FIRST_TIER,
    /**
     * Law 8, escalation: the escalator counts the tiers it made in memory instead of reading the alert's stream, so
     * after a restart (or in a second escalator) every due tier is escalated again.
     */
    ESCALATION_TIER_IN_MEMORY,
    /** Law 8, escalation: an acknowledged alert goes on escalating. */
    ESCALATION_IGNORES_ACK;

    /** The engine's hooks with {@code bugs} planted at theirs; {@link SimulationHooks#NONE} for none. */
    static SimulationHooks hooks(Set<PlantedBug> bugs) {
        if (bugs.isEmpty()) {
            return SimulationHooks.NONE;
        }
        Set<PlantedBug> planted = Set.copyOf(bugs);
        return new SimulationHooks() {
            @Override
            public boolean unfencedSession() {
                return planted.contains(UNFENCED_SESSION);
            }

            @Override
            public boolean newClientOrderIdPerAttempt() {
                return planted.contains(NEW_CLIENT_ORDER_ID_PER_ATTEMPT);
            }

            @Override
            public boolean blindResubmitOnTimeout() {
                return planted.contains(BLIND_RESUBMIT_ON_TIMEOUT);
            }

            @Override
            public boolean failedLookupAsNotFound() {
                return planted.contains(FAILED_LOOKUP_AS_NOT_FOUND);
            }

            @Override
            public boolean buysBeforeSells() {
                return planted.contains(BUYS_BEFORE_SELLS);
            }

            @Override
            public boolean skipRecovery() {
                return planted.contains(NO_TERMINAL_STATE_AFTER_CRASH);
            }

            @Override
            public boolean endTwice() {
                return planted.contains(SECOND_ENDING);
            }

            @Override
            public boolean skipNotification() {
                return planted.contains(SKIP_NOTIFICATION);
            }

            @Override
            public boolean throwLockRefusal() {
                return planted.contains(LOCK_REFUSAL_UNRECORDED);
            }

            @Override
            public boolean ignoreTradingState() {
                return planted.contains(IGNORE_TRADING_STATE);
            }

            @Override
            public boolean staleMove() {
                return planted.contains(STALE_STATE_MOVE);
            }

            @Override
            public boolean trustEveryQuote() {
                return planted.contains(TRUST_EVERY_QUOTE);
            }

            @Override
            public boolean foldBeforeLease() {
                return planted.contains(STALE_FOLD_BEFORE_LEASE);
            }

            @Override
            public boolean escalateWithoutNotification() {
                return planted.contains(ESCALATION_WITHOUT_NOTIFICATION);
            }

            @Override
            public boolean escalateFirstTierOnly() {
                return planted.contains(ESCALATION_STOPS_AFTER_FIRST_TIER);
            }

            @Override
            public boolean escalationTierInMemory() {
                return planted.contains(ESCALATION_TIER_IN_MEMORY);
            }

            @Override
            public boolean escalateAcknowledged() {
                return planted.contains(ESCALATION_IGNORES_ACK);
            }

            @Override
            public boolean doubleFillNotFlattened() {
                return planted.contains(DOUBLE_FILL_NOT_FLATTENED);
            }

            @Override
            public boolean staleWorkingNote() {
                return planted.contains(STALE_WORKING_NOTE);
            }
        };
    }
}
