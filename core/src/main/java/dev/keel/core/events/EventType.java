package dev.keel.core.events;

import java.util.Arrays;
import java.util.Optional;

/** What an event asks Keel to do to its account. */
public enum EventType {
    /** Rebalance the account: to its configured targets, or to the event's own weights or allocation URL. */
    REBALANCE("rebalance"),
    /** Check that the broker holds what the journal says (positions, open orders). */
    RECONCILE("reconcile");

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    /** The name in an event's {@code type} field. */
    public String wire() {
        return wire;
    }

    /** The type named {@code wire}, if there is one. */
    public static Optional<EventType> ofWire(String wire) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(wire)).findFirst();
    }
}
