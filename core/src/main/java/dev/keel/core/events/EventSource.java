package dev.keel.core.events;

import java.time.Duration;
import java.util.Optional;

/**
 * Where a worker takes its events from, at least once: a message taken and not settled within its visibility
 * timeout (its consumer died or stalled) is delivered again, to this consumer or another. Implementations: the
 * embedded inbox in the journal's database ({@code store}) and a Redis Streams consumer group ({@code app}). One
 * contract test runs over both.
 *
 * <p>Settling takes the delivery's receipt: a consumer that lost its delivery to another (its visibility timeout
 * ran out) settles nothing, and the journal's record of the event id keeps the effect single anyway.
 * Implementations are thread-safe.
 */
public interface EventSource extends AutoCloseable {

    /**
     * Adds a message. A message whose id the source already holds (queued or taken) is not added again.
     *
     * @param messageId the event id, or an id derived from the body when the body names none
     * @param accountId the account the body names, or null when it cannot be read
     * @return true when added, false when the id was already there
     */
    boolean push(String messageId, String accountId, String body);

    /**
     * The next message due, delivered to this consumer for {@code visibility}: no other consumer receives it until
     * then, unless it is settled first. Empty when nothing is due.
     */
    Optional<Delivery> take(Duration visibility);

    /** Done: the message will not be delivered again. A receipt that is no longer current changes nothing. */
    void ack(Delivery delivery);

    /** Not done, may pass later: delivered again after {@code backoff}, with {@code failure} as its last failure. */
    void retry(Delivery delivery, Duration backoff, Failure failure);

    /** Never to be delivered again: moved to the dead letters with its failure, attempts and times. */
    void deadLetter(Delivery delivery, Failure failure);

    /** The messages that failed for good, for the operator. */
    DeadLetters deadLetters();

    /** Messages waiting or taken but not settled. */
    long pending();

    @Override
    void close();
}
