package dev.keel.core.account;

/**
 * Where the simulation plants its bugs in the account session, to show its checker bites (FoundationDB's BUGGIFY in
 * spirit). Production uses {@link #NONE}: every method answers false, and no configuration key reaches them.
 */
public interface SessionHooks {
    /** Nothing planted. */
    SessionHooks NONE = new SessionHooks() {
    };

    /** Law 8: an ending is journaled without its notification. */
    default boolean skipNotification() {
        return false;
    }

    /** Law 6: an ending neither checks the transaction's stream nor refuses a transaction already ended. */
    default boolean endTwice() {
        return false;
    }

    /** Law 13: a transaction is folded without the account's lease (before it, as the engine once did). */
    default boolean reopenWithoutLease() {
        return false;
    }

    /**
     * Law 9: an ending's move is decided on a read taken before its append (when the session opened) and written
     * unconditionally.
     */
    default boolean staleMove() {
        return false;
    }
}
