package dev.keel.core.events;

import java.time.Instant;
import java.util.Objects;

/**
 * One delivery of a message to one consumer: the message's raw body (which may not even be JSON: the consumer
 * parses it, and a body that does not parse is dead-lettered, never thrown at the consumer's loop) and the receipt
 * that acks, retries or dead-letters this delivery and no other.
 *
 * @param messageId   the message's id in its source: the event id when the body carried one
 * @param accountId   the account the body named, when it could be read at push; may be null
 * @param body        the message as pushed
 * @param attempt     this delivery's number, from 1; a message whose consumer died is delivered again, counted
 * @param receipt     what proves this delivery when it is settled: a lease token, a stream entry id
 * @param firstTaken  when the message was first delivered
 * @param lastFailure what the previous delivery's consumer reported, or null
 */
public record Delivery(String messageId, String accountId, String body, int attempt, String receipt,
                       Instant firstTaken, Failure lastFailure) {
    public Delivery {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(receipt, "receipt");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, but was " + attempt);
        }
    }
}
