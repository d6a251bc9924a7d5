package dev.keel.core.journal;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.model.OrderOutcome;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One order's result in the operation's report: cancelled, already filled, failed with a code...
 *
 * @param filledQuantity what had filled when the result was known
 * @param code           the error, or null
 */
public record OrderOutcomeRecorded(String txId, String accountId, String clientOrderId, String brokerOrderId,
                                   OrderOutcome outcome, BigDecimal filledQuantity, ErrorCode code, String message,
                                   Instant at) implements OperationEvent {
}
