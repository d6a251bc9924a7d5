package dev.keel.core.model;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One order of a plan.
 *
 * @param leg               the order's name within its operation, e.g. {@code sell-VTI}; with the operation id it
 *                          derives the client order id (law 2)
 * @param spec              what to send
 * @param estimatedNotional its cash value at planning prices
 */
public record PlannedOrder(String leg, OrderSpec spec, BigDecimal estimatedNotional) {
    public PlannedOrder {
        Objects.requireNonNull(leg, "leg");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(estimatedNotional, "estimatedNotional");
    }
}
