package dev.keel.core.journal;

import dev.keel.core.error.ErrorCode;
import java.time.Instant;

/**
 * Keel asked the broker for an order by client order id (law 3, law 4).
 *
 * @param outcome    what the broker said; {@link Outcome#ERROR} says nothing about the order
 * @param afterGrace true when the visibility grace period had passed since the last submit attempt: only then
 *                   does {@link Outcome#NOT_FOUND} prove the order absent
 * @param errorCode  the failure's code when the lookup itself failed, else null
 */
public record OrderLookedUp(String txId, String accountId, String clientOrderId, Outcome outcome, boolean afterGrace,
                            ErrorCode errorCode, Instant at) implements OrderEvent {
    /** A lookup's answer. */
    public enum Outcome {
        FOUND, NOT_FOUND, ERROR
    }
}
