package dev.keel.paper;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The exit legs a bracket entry creates once it fills.
 *
 * @param takeProfitLimit the take-profit leg's limit price
 * @param stopLossStop    the stop-loss leg's stop price
 * @param stopLossLimit   the stop-loss leg's limit price, null for a plain stop
 */
record BracketExits(BigDecimal takeProfitLimit, BigDecimal stopLossStop, BigDecimal stopLossLimit) {
    BracketExits {
        Objects.requireNonNull(takeProfitLimit, "takeProfitLimit");
        Objects.requireNonNull(stopLossStop, "stopLossStop");
    }
}
