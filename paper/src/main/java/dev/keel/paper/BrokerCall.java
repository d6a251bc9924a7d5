package dev.keel.paper;

/**
 * The broker operations a fault rule may select, and the keys of {@link PaperExchange#callCounts()}. {@code STREAM}
 * is one event of an order-update stream ({@code keel paper serve}'s trade_updates), selected only by
 * {@code stream-drop} rules.
 */
public enum BrokerCall {
    SUBMIT, CANCEL, LOOKUP, POSITIONS, ACCOUNT, OPEN_ORDERS, QUOTE, CLOCK, STREAM;

    /** The kebab-case name: {@code open-orders}. */
    public String wire() {
        return Names.kebab(this);
    }

    /** Parses {@code submit}, {@code open-orders}...; an unknown name throws, listing the valid ones. */
    public static BrokerCall parse(String name) {
        return Names.parse(BrokerCall.class, "op", name);
    }
}
