package dev.keel.core.journal;

import java.time.Instant;

/** A link ended: one leg filled and the other was cancelled, both were cancelled, or the pair was replaced. */
public record OrdersUnlinked(String txId, String accountId, String link, String reason, Instant at)
        implements OperationEvent {
}
