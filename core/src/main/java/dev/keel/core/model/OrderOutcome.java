package dev.keel.core.model;

/** One order's result within an operation's report (close, bulk cancel, modification, rollback). */
public enum OrderOutcome {
    /** Keel cancelled it; nothing more can fill. */
    CANCELLED,
    /** It filled completely before the cancel reached it. */
    ALREADY_FILLED,
    /** It had already ended (cancelled, expired, rejected) before Keel asked. */
    ALREADY_DONE,
    /** A position was sold (close, emergency close, flattening an excess). */
    CLOSED,
    /** Replaced by a new order (modification). */
    REPLACED,
    /** The request failed with a typed error; the order may still be working. */
    FAILED,
    /** The outcome could not be resolved; the broker must be asked again (law 3). */
    UNKNOWN
}
