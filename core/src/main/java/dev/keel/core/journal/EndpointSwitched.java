package dev.keel.core.journal;

import java.time.Instant;

/**
 * An endpoint's calls moved to another connection: to the backup when the primary's breaker opened, back to the
 * primary when its health probe succeeded after the open period.
 *
 * @param endpoint {@code submit}, {@code cancel}, {@code lookup} or {@code reads}
 * @param from     {@code primary} or {@code backup}
 * @param to       {@code primary} or {@code backup}
 */
public record EndpointSwitched(String broker, String accountId, String endpoint, String from, String to,
                               String reason, Instant at) implements BrokerEvent {
}
