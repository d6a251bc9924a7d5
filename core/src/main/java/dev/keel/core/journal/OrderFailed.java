package dev.keel.core.journal;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.model.OrderState;
import java.time.Instant;

/**
 * The order ended without a fill: the broker rejected it ({@link OrderState#REJECTED}), or Keel gave up on a
 * definite non-acceptance ({@link OrderState#FAILED}).
 *
 * @param retryCount submits after the first
 */
public record OrderFailed(String txId, String accountId, String clientOrderId, OrderState state, ErrorCode code,
                          String message, int retryCount, Instant at) implements OrderEvent {
}
