package dev.keel.core.journal;

import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Both legs of a one-cancels-other link filled: {@code excess} shares were sold (or bought) beyond the position the
 * pair protected, and must be flattened.
 *
 * @param flattenOrderId client order id of the order that flattens the excess
 */
public record DoubleFillDetected(String txId, String accountId, String link, Symbol symbol, BigDecimal excess,
                                 String flattenOrderId, Instant at) implements OperationEvent {
}
