package dev.keel.core.time;

/**
 * A wait was interrupted: the process is shutting down. Not a failure of the work that was waiting: the engine lets
 * it pass, leaving the transaction in progress for recovery and the account's trading state as it was, instead of
 * closing the transaction for review and halting the account. The thread's interrupt flag is set again when thrown.
 */
public final class WaitInterrupted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WaitInterrupted(String what, InterruptedException cause) {
        super("interrupted while " + what, cause);
        Thread.currentThread().interrupt();
    }
}
