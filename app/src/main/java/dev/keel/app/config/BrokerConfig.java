package dev.keel.app.config;

import java.util.Objects;

/**
 * Which broker Keel trades with.
 *
 * @param kind   the broker
 * @param paper  the paper exchange's settings; non-null when {@code kind} is {@link Kind#PAPER}
 * @param alpaca Alpaca's settings; non-null when {@code kind} is {@link Kind#ALPACA}
 */
public record BrokerConfig(Kind kind, PaperSettings paper, AlpacaConfig alpaca) {

    /** The broker implementations Keel knows. */
    public enum Kind implements WireName {
        /** The built-in simulated exchange. */
        PAPER,
        /** Alpaca Trading API v2. Keys come from the environment or a key file, never the config file. */
        ALPACA
    }

    public BrokerConfig {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.PAPER && paper == null) {
            throw new IllegalArgumentException("paper settings must be given for kind paper, but were null");
        }
        if (kind == Kind.ALPACA && alpaca == null) {
            throw new IllegalArgumentException("alpaca settings must be given for kind alpaca, but were null");
        }
    }

    /** The paper exchange. */
    public BrokerConfig(Kind kind, PaperSettings paper) {
        this(kind, paper, null);
    }
}
