package dev.keel.app.config;

import java.math.BigDecimal;

/**
 * The allowed range of a number, and how an error states it: "must be at least 1", "must be in (0, 1]".
 *
 * @param low            the lower end, or null for none
 * @param lowInclusive   whether {@code low} itself is allowed
 * @param high           the upper end, or null for none
 * @param highInclusive  whether {@code high} itself is allowed
 */
record Bound(BigDecimal low, boolean lowInclusive, BigDecimal high, boolean highInclusive) {
    static final Bound ANY = new Bound(null, false, null, false);

    static Bound atLeast(long low) {
        return new Bound(BigDecimal.valueOf(low), true, null, false);
    }

    static Bound positive() {
        return new Bound(BigDecimal.ZERO, false, null, false);
    }

    static Bound between(String low, boolean lowInclusive, String high, boolean highInclusive) {
        return new Bound(new BigDecimal(low), lowInclusive, new BigDecimal(high), highInclusive);
    }

    boolean contains(BigDecimal value) {
        if (low != null) {
            int c = value.compareTo(low);
            if (c < 0 || (c == 0 && !lowInclusive)) {
                return false;
            }
        }
        if (high != null) {
            int c = value.compareTo(high);
            return c < 0 || (c == 0 && highInclusive);
        }
        return true;
    }

    /** "must be at least 1", "must be greater than 0", "must be in [0, 1)". */
    String describe() {
        if (high == null) {
            return lowInclusive ? "must be at least " + low.toPlainString() : "must be greater than " + low.toPlainString();
        }
        if (low == null) {
            return highInclusive ? "must be at most " + high.toPlainString() : "must be less than " + high.toPlainString();
        }
        return "must be in " + (lowInclusive ? "[" : "(") + low.toPlainString() + ", " + high.toPlainString()
                + (highInclusive ? "]" : ")");
    }
}
