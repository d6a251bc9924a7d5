package dev.keel.core.rebalance;

import dev.keel.core.error.ErrorCode;

/** Why a symbol's trade was left out of a plan. */
public enum SkipReason {
    /** The trade is smaller than the allocation's minimum trade. */
    BELOW_MIN_TRADE(null),
    /** No quote for the symbol: nothing is sized without a price. */
    QUOTE_MISSING(ErrorCode.QUOTE_MISSING),
    /** The quote is not sane (zero, negative or crossed) or older than allowed. */
    QUOTE_STALE(ErrorCode.QUOTE_STALE);

    private final ErrorCode code;

    SkipReason(ErrorCode code) {
        this.code = code;
    }

    /** The catalog code for a data problem, or null when the skip is an ordinary planning rule. */
    public ErrorCode code() {
        return code;
    }
}
