package dev.keel.core.events;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One request from outside, as a worker reads it off an {@link EventSource}: {@code event_id, account_id, type,
 * payload, created_at}. The event id is what makes its effect happen once: it is journaled with the transaction the
 * event starts, and a redelivery whose id the journal already holds starts nothing.
 *
 * @param eventId       unique per request; the sender's, so a sender that repeats a push repeats the id
 * @param accountId     the account it concerns
 * @param type          what to do
 * @param targets       a rebalance's own weights by symbol (summing to 1), or empty for the configured ones
 * @param allocationUrl a rebalance's allocation service to fetch targets from, or null
 * @param createdAt     when the sender made it, or null when it did not say
 */
public record Event(String eventId, String accountId, EventType type, SortedMap<String, BigDecimal> targets,
                    URI allocationUrl, Instant createdAt) {
    public Event {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(type, "type");
        targets = targets == null ? new TreeMap<>() : new TreeMap<>(targets);
        if (!targets.isEmpty() && allocationUrl != null) {
            throw new IllegalArgumentException("event " + eventId + " needs at most one of targets and allocation"
                    + " URL, but had both");
        }
    }

    /** An event with neither targets nor allocation URL. */
    public static Event of(String eventId, String accountId, EventType type, Instant createdAt) {
        return new Event(eventId, accountId, type, null, null, createdAt);
    }

    @Override
    public SortedMap<String, BigDecimal> targets() {
        return java.util.Collections.unmodifiableSortedMap(targets);
    }

    /** The event's own weights, if it carries any. */
    public boolean hasTargets() {
        return !targets.isEmpty();
    }

    /** A copy with {@code weights} as its targets. */
    public Event withTargets(Map<String, BigDecimal> weights) {
        return new Event(eventId, accountId, type, new TreeMap<>(weights), null, createdAt);
    }
}
