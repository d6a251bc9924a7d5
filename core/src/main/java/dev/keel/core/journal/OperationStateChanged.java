package dev.keel.core.journal;

import dev.keel.core.model.OperationState;
import java.time.Instant;

/**
 * The operation moved between states; legal moves are {@link OperationState#canMoveTo}.
 *
 * @param from   null for the first state (PENDING)
 * @param reason why, for the operator
 */
public record OperationStateChanged(String txId, String accountId, OperationState from, OperationState to,
                                    String reason, Instant at) implements OperationEvent {
}
