package dev.keel.core.marketdata;

import dev.keel.core.error.ErrorCode;

/** One thing a quote is checked for; each failure is recorded with the source that failed it. */
public enum QuoteCheck {
    /** The source had no quote, or could not be asked. */
    MISSING(ErrorCode.QUOTE_MISSING),
    /** Bid or ask is zero or negative. */
    NOT_POSITIVE(ErrorCode.QUOTE_STALE),
    /** The bid is above the ask. */
    CROSSED(ErrorCode.QUOTE_STALE),
    /** Older than the source's maximum age, by the injected clock. */
    STALE(ErrorCode.QUOTE_STALE),
    /** The spread is wider than allowed, relative to mid. */
    WIDE_SPREAD(ErrorCode.QUOTE_OUTLIER),
    /** Mid is further from the symbol's last good price than allowed. */
    OUTLIER(ErrorCode.QUOTE_OUTLIER);

    private final ErrorCode code;

    QuoteCheck(ErrorCode code) {
        this.code = code;
    }

    /** The catalog code a symbol is skipped with when this is why it has no trusted quote. */
    public ErrorCode code() {
        return code;
    }
}
