package dev.keel.core.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * An order as the broker reports it.
 *
 * @param brokerOrderId  the broker's own id
 * @param clientOrderId  Keel's deterministic id for the intent (law 2)
 * @param spec           what was ordered
 * @param state          the broker's state, mapped onto Keel's lifecycle
 * @param filledQuantity shares filled so far, zero if none
 * @param filledAvgPrice average fill price, null if nothing filled
 * @param createdAt      when the broker accepted it
 * @param updatedAt      the broker's last change
 */
public record BrokerOrder(String brokerOrderId, String clientOrderId, OrderSpec spec, OrderState state,
                          BigDecimal filledQuantity, BigDecimal filledAvgPrice, Instant createdAt,
                          Instant updatedAt) {
    public BrokerOrder {
        Objects.requireNonNull(brokerOrderId, "brokerOrderId");
        Objects.requireNonNull(clientOrderId, "clientOrderId");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(filledQuantity, "filledQuantity");
    }

    /** Cash value of what has filled: quantity times average price, zero if nothing filled. */
    public BigDecimal filledNotional() {
        return filledAvgPrice == null ? BigDecimal.ZERO : Money.cash(filledQuantity.multiply(filledAvgPrice));
    }
}
