package dev.keel.core.execution;

/**
 * The points where only the deterministic simulation changes Keel's behaviour: it plants deliberate bugs there, one per
 * law, to show that its history checker bites (FoundationDB's BUGGIFY in spirit; a checker that cannot fail proves
 * nothing). Production runs {@link #NONE}, whose every answer is Keel's correct behaviour; no configuration key reaches
 * a hook, and the bugs themselves are named only in the {@code sim} module.
 */
public interface SimulationHooks {
    /** Nothing planted: what every production engine runs. */
    SimulationHooks NONE = new SimulationHooks() {
    };

    /** Law 2: every submit attempt gets a fresh client order id, so the broker cannot dedupe. */
    default boolean newClientOrderIdPerAttempt() {
        return false;
    }

    /** Law 3: an ambiguous submit is sent again at once, without asking the broker. */
    default boolean blindResubmitOnTimeout() {
        return false;
    }

    /** Law 4: a lookup that failed is journaled as "not found", so the order is taken to be absent. */
    default boolean failedLookupAsNotFound() {
        return false;
    }

    /** Law 5: buys are sent before the sells, sized on the planned cash. */
    default boolean buysBeforeSells() {
        return false;
    }

    /** Law 6: recovery skips the transactions left in progress. */
    default boolean skipRecovery() {
        return false;
    }

    /** Law 6: an ending neither checks that its transaction is still open nor refuses a second ending. */
    default boolean endTwice() {
        return false;
    }

    /** Law 8: a transaction's ending is journaled without its notification. */
    default boolean skipNotification() {
        return false;
    }

    /** Law 8: work that cannot get the account's lease throws, with no record and no notification. */
    default boolean throwLockRefusal() {
        return false;
    }

    /** Law 8, escalation: an alert's escalation is journaled without the notification that carries it. */
    default boolean escalateWithoutNotification() {
        return false;
    }

    /** Law 8, escalation: the escalator takes an alert to its first tier and no further. */
    default boolean escalateFirstTierOnly() {
        return false;
    }

    /**
     * Law 8, escalation: the escalator counts the tiers it made itself, in memory, instead of reading them from the
     * alert's stream, so a new process (a restart, a second escalator) escalates every due tier again.
     */
    default boolean escalationTierInMemory() {
        return false;
    }

    /** Law 8, escalation: an acknowledged alert is escalated as if nobody had acknowledged it. */
    default boolean escalateAcknowledged() {
        return false;
    }

    /** Law 9: a HALTED or REDUCING account trades as if ACTIVE (the states are still journaled). */
    default boolean ignoreTradingState() {
        return false;
    }

    /**
     * Law 9: an ending's trading-state move is decided on the status read when the account's session opened and
     * written unconditionally, so an operator's halt that lands in between is undone.
     */
    default boolean staleMove() {
        return false;
    }

    /** Law 12: the first quote any market-data source answers is trusted, unchecked. */
    default boolean trustEveryQuote() {
        return false;
    }

    /**
     * Law 13 across processes: a lease holder's session writes without its fence, so a holder whose lease was taken
     * over while it stalled still writes.
     */
    default boolean unfencedSession() {
        return false;
    }

    /**
     * Law 13: recovery lists and folds an account's open transactions before it takes the account's lease, and resumes
     * those folds; a caller that waited behind another resumes what that one ended.
     */
    default boolean foldBeforeLease() {
        return false;
    }

    /**
     * The simulation's rule 15: an OCO enforcement that sees both legs of a pair filled neither journals the double fill
     * nor buys the excess back; it only cancels what still works.
     */
    default boolean doubleFillNotFlattened() {
        return false;
    }

    /**
     * The simulation's rule 18: the protection watch notes what each transaction leaves working from the scan it read
     * first, before its enforcements wrote, and writes the note whatever was written to the stream since.
     */
    default boolean staleWorkingNote() {
        return false;
    }
}
