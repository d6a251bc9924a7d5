package dev.keel.core.journal;

import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import java.time.Instant;

/**
 * A cancel request failed. The order's state is unchanged; with {@link Delivery#AMBIGUOUS} the cancel may have
 * happened and only a lookup tells (law 3).
 */
public record OrderCancelFailed(String txId, String accountId, String clientOrderId, int attempt, ErrorCode code,
                                Delivery delivery, String message, Instant at) implements OrderEvent {
}
