package dev.keel.app.config;

import java.util.Objects;

/**
 * Which broker Keel trades with.
 *
 * @param kind  the broker; only {@link Kind#PAPER} is available so far
 * @param paper the paper exchange's settings; non-null when {@code kind} is {@link Kind#PAPER}
 */
public record BrokerConfig(Kind kind, PaperSettings paper) {

    /** The broker implementations Keel knows. */
    public enum Kind implements WireName {
        /** The built-in simulated exchange. */
        PAPER,
        /** Alpaca Trading API v2; recognised, not available yet. Keys come from the environment, never the file. */
        ALPACA
    }

    public BrokerConfig {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.PAPER && paper == null) {
            throw new IllegalArgumentException("paper settings must be given for kind paper, but were null");
        }
    }
}
