package dev.keel.core.rebalance;

import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * A trade a plan left out, and why.
 *
 * @param symbol the instrument
 * @param reason why
 * @param side   the side the trade would have had, or null when no trade could be sized (no usable quote)
 * @param amount the trade's cash value, or null when no trade could be sized
 * @param detail a sentence for the operator
 */
public record Skipped(Symbol symbol, SkipReason reason, Side side, BigDecimal amount, String detail) {
    public Skipped {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    /** True when {@code amount} is too small to trade: zero, or below {@code minTrade}. */
    static boolean isBelowMinTrade(BigDecimal amount, BigDecimal minTrade) {
        return amount.signum() <= 0 || amount.compareTo(minTrade) < 0;
    }

    static Skipped belowMinTrade(Symbol symbol, Side side, BigDecimal amount, BigDecimal minTrade) {
        return new Skipped(symbol, SkipReason.BELOW_MIN_TRADE, side, amount,
                side + " $" + amount.toPlainString() + " is below min trade $" + minTrade.toPlainString());
    }
}
