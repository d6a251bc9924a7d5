package dev.keel.core.broker;

import java.time.Instant;
import java.util.Objects;

/**
 * Which orders to list, in Alpaca's terms ({@code GET /v2/orders}): by status, created after a time, at most
 * {@code limit} of them, oldest first.
 *
 * @param status open (may still fill), closed (ended) or all
 * @param after  only orders created strictly after this time; null for no bound
 * @param limit  at most this many orders, at least 1
 */
public record OrderQuery(Status status, Instant after, int limit) {
    /** The default limit, Alpaca's own: 50. */
    public static final int DEFAULT_LIMIT = 50;
    /** The largest limit, Alpaca's own: 500. */
    public static final int MAX_LIMIT = 500;

    /** Which orders a query selects. */
    public enum Status { OPEN, CLOSED, ALL }

    public OrderQuery {
        Objects.requireNonNull(status, "status");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", but was " + limit);
        }
    }

    /** Open orders, Alpaca's default. */
    public static OrderQuery open() {
        return new OrderQuery(Status.OPEN, null, DEFAULT_LIMIT);
    }
}
