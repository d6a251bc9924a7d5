package dev.keel.paper;

import dev.keel.core.model.OrderClass;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.OrderState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An order the exchange created, as it stands now; {@link PaperExchange#orderLog()} lists them in creation order.
 * For tests and the simulation.
 *
 * @param brokerOrderId  the exchange's id, {@code paper-<account>-<n>}
 * @param clientOrderId  the client's id
 * @param accountId      the account it belongs to
 * @param spec           what was ordered
 * @param state          its current state
 * @param filledQuantity shares filled, zero if none
 * @param filledAvgPrice average fill price, null if nothing filled
 * @param fills          every fill, in order
 * @param createdAt      when the exchange accepted it
 * @param updatedAt      its last change
 * @param orderClass     simple, or the OCO or bracket it belongs to
 * @param parentOrderId  the broker id of the order it is a leg of (OCO take-profit, bracket entry), or null
 * @param twinOrderId    the broker id of the other member of its OCO pair, or null
 * @param legOrderIds    the broker ids of its legs, in creation order
 */
public record ExchangeOrderLogEntry(String brokerOrderId, String clientOrderId, String accountId, OrderSpec spec,
                                    OrderState state, BigDecimal filledQuantity, BigDecimal filledAvgPrice,
                                    List<Fill> fills, Instant createdAt, Instant updatedAt, OrderClass orderClass,
                                    String parentOrderId, String twinOrderId, List<String> legOrderIds) {
    public ExchangeOrderLogEntry {
        Objects.requireNonNull(brokerOrderId, "brokerOrderId");
        Objects.requireNonNull(orderClass, "orderClass");
        fills = List.copyOf(fills);
        legOrderIds = List.copyOf(legOrderIds);
    }

    /**
     * One execution.
     *
     * @param quantity shares
     * @param price    price per share
     * @param at       when it happened
     */
    public record Fill(BigDecimal quantity, BigDecimal price, Instant at) {
        public Fill {
            Objects.requireNonNull(quantity, "quantity");
            Objects.requireNonNull(price, "price");
            Objects.requireNonNull(at, "at");
        }
    }
}
