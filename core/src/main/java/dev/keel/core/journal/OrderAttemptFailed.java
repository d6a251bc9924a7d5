package dev.keel.core.journal;

import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import java.time.Instant;

/**
 * One submit attempt failed. With {@link Delivery#AMBIGUOUS} the order becomes UNKNOWN and only a lookup may
 * move it on (law 3).
 *
 * @param attempt     1 for the first submit
 * @param httpStatus  the broker's HTTP status, or null
 * @param rawResponse the broker's raw answer when Keel did not understand it, or null
 */
public record OrderAttemptFailed(String txId, String accountId, String clientOrderId, int attempt, ErrorCode code,
                                 Delivery delivery, Integer httpStatus, String message, String rawResponse,
                                 Instant at) implements OrderEvent {
}
