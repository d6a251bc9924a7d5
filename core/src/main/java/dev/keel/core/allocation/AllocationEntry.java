package dev.keel.core.allocation;

import java.math.BigDecimal;

/**
 * One line of an allocation as a service sent it, before validation: the symbol as text, the weight as a number.
 *
 * @param symbol the ticker as sent, possibly invalid
 * @param weight the weight as sent, possibly null
 */
public record AllocationEntry(String symbol, BigDecimal weight) {
}
