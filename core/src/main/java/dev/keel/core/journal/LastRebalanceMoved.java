package dev.keel.core.journal;

import java.time.Instant;
import java.time.LocalDate;

/** Law 7: the account's last-rebalance date moves, only after a COMPLETED rebalance. */
public record LastRebalanceMoved(String accountId, String txId, LocalDate date, Instant at) implements AccountEvent {
}
