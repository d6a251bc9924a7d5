package dev.keel.core.events;

import dev.keel.core.error.ErrorCode;
import java.time.Instant;
import java.util.Objects;

/**
 * A message that will not be delivered again until an operator retries it.
 *
 * @param messageId  the event id (or the id its body was given at push)
 * @param accountId  the account, when the body named one
 * @param body       the message as pushed
 * @param code       why, as a catalog code
 * @param reason     why, in words
 * @param attempts   deliveries it had
 * @param firstTaken when it was first delivered, or null when never
 * @param deadAt     when it was dead-lettered
 * @param resolvedAt when an operator resolved it, or null
 * @param resolvedBy who resolved it, or null
 * @param note       what the operator did, or null
 */
public record DeadLetter(String messageId, String accountId, String body, ErrorCode code, String reason,
                         int attempts, Instant firstTaken, Instant deadAt, Instant resolvedAt, String resolvedBy,
                         String note) {
    public DeadLetter {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(deadAt, "deadAt");
    }

    /** Whether an operator has resolved it. */
    public boolean resolved() {
        return resolvedAt != null;
    }
}
