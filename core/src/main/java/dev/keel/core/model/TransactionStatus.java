package dev.keel.core.model;

/** Where an operation stands. Every operation ends in exactly one terminal state (law 6). */
public enum TransactionStatus {
    IN_PROGRESS,
    /** Everything planned was done and reconciliation matched. */
    COMPLETED,
    /** Some orders executed, some did not; the next run reconciles. */
    PARTIAL,
    /** Nothing executed. */
    FAILED,
    /** Stopped before any order was sent (pre-flight, risk limit, lock). */
    ABORTED,
    /** Undone on purpose: what was placed was cancelled or closed. */
    ROLLED_BACK,
    /**
     * Keel cannot tell or fix the state by itself (an unresolved UNKNOWN order, the broker disagreeing with the
     * journal): an operator must look before the account trades again.
     */
    NEEDS_REVIEW;

    public boolean isTerminal() {
        return this != IN_PROGRESS;
    }
}
