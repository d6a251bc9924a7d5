package dev.keel.core.engine;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.model.TransactionStatus;
import java.util.Objects;

/**
 * What running one event did, for the worker that decides whether to acknowledge it.
 *
 * @param eventId   the event
 * @param result    ran now, or found already run
 * @param txId      the transaction it started (now or before), or null when none was needed (nothing to trade, the
 *                  account agreed with the broker)
 * @param status    that transaction's state (IN_PROGRESS while it runs elsewhere), COMPLETED when none was needed
 * @param errorCode the main error when not COMPLETED, or null
 * @param message   what happened, in words
 * @param retryable true when the run failed before anything reached the broker for a reason that may pass (the
 *                  broker down, say): running the event again may succeed, and starts a new transaction
 */
public record EventRun(String eventId, Result result, String txId, TransactionStatus status, ErrorCode errorCode,
                       String message, boolean retryable) {
    public EventRun {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(result, "result");
    }

    /** Whether the event ran now or had run before. */
    public enum Result {
        /** Run now, under the account's lease. */
        RAN,
        /** The journal already held a transaction of this event: nothing was started again. */
        ALREADY_RAN
    }
}
