package dev.keel.core.rebalance;

import dev.keel.core.error.ErrorCode;

/** Why a symbol's trade was left out of a plan. */
public enum SkipReason {
    /** The trade is smaller than the allocation's minimum trade. */
    BELOW_MIN_TRADE(null),
    /** No quote for the symbol: nothing is sized without a price. */
    QUOTE_MISSING(ErrorCode.QUOTE_MISSING),
    /** The quote is not sane (zero, negative or crossed) or older than allowed. */
    QUOTE_STALE(ErrorCode.QUOTE_STALE),
    /** The quote is implausible: too far from the last good price, or its spread too wide. */
    QUOTE_OUTLIER(ErrorCode.QUOTE_OUTLIER);

    private final ErrorCode code;

    SkipReason(ErrorCode code) {
        this.code = code;
    }

    /** The reason that carries {@code code}: a market-data code, anything else reads as a missing quote. */
    static SkipReason of(ErrorCode code) {
        return switch (code) {
            case QUOTE_STALE -> QUOTE_STALE;
            case QUOTE_OUTLIER -> QUOTE_OUTLIER;
            default -> QUOTE_MISSING;
        };
    }

    /** The catalog code for a data problem, or null when the skip is an ordinary planning rule. */
    public ErrorCode code() {
        return code;
    }
}
