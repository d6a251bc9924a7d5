package dev.keel.core.model;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Scales and rounding for money and quantities. Money is {@link BigDecimal}, never {@code double}.
 *
 * <p>Cash amounts carry {@link #CASH_SCALE} decimals rounded {@link RoundingMode#HALF_EVEN}; share quantities
 * carry {@link #QTY_SCALE} decimals (fractional shares) and are always rounded down, so Keel never asks for more
 * than it can pay for or sell more than it holds.
 */
public final class Money {
    /** Decimals of a cash amount: 2. */
    public static final int CASH_SCALE = 2;
    /** Decimals of a share quantity: 9, as Alpaca's fractional shares. */
    public static final int QTY_SCALE = 9;
    /** Decimals of a price: 4. */
    public static final int PRICE_SCALE = 4;

    private Money() {
    }

    public static BigDecimal cash(BigDecimal amount) {
        return amount.setScale(CASH_SCALE, RoundingMode.HALF_EVEN);
    }

    public static BigDecimal cash(String amount) {
        return cash(new BigDecimal(amount));
    }

    /** Rounds a cash amount down: what can be spent without exceeding it. */
    public static BigDecimal cashFloor(BigDecimal amount) {
        return amount.setScale(CASH_SCALE, RoundingMode.DOWN);
    }

    public static BigDecimal qty(BigDecimal quantity) {
        return quantity.setScale(QTY_SCALE, RoundingMode.DOWN).stripTrailingZeros();
    }

    public static BigDecimal price(BigDecimal price) {
        return price.setScale(PRICE_SCALE, RoundingMode.HALF_EVEN);
    }

    /** {@code numerator / denominator} to 10 decimals, for weights and ratios. */
    public static BigDecimal ratio(BigDecimal numerator, BigDecimal denominator) {
        if (denominator.signum() == 0) {
            return BigDecimal.ZERO;
        }
        return numerator.divide(denominator, 10, RoundingMode.HALF_EVEN);
    }
}
