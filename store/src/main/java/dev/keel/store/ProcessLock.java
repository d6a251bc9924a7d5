package dev.keel.store;

/**
 * A lock on an account that every process on the journal sees, held until it is released or its process dies: the
 * exclusion half of an account's lease ({@link DatabaseLeases}); the journal's lease epoch is the fencing half.
 */
interface ProcessLock {

    /** Takes the account's lock if no one holds it; null when another holder (another process) does. */
    Held tryLock(String accountId);

    /** A held lock; closing releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
