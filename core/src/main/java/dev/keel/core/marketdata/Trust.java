package dev.keel.core.marketdata;

/** How far Keel trusts a quote: whether an order may be sized on it. */
public enum Trust {
    /** The primary source's quote passed every check. */
    TRUSTED,
    /** Only a fallback source's quote passed every check: usable when {@code market-data.allow-degraded} says so. */
    DEGRADED,
    /** No source gave a quote that passed every check: nothing is sized on it. */
    UNTRUSTED
}
