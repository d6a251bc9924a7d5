package dev.keel.paper;

import java.util.EnumSet;
import java.util.Set;

/** What a {@link FaultRule} does when it fires; see {@link FaultRule} for each kind's semantics. */
public enum FaultKind {
    REJECT, RATE_LIMITED, SERVER_ERROR, TIMEOUT_BEFORE_ACCEPT, TIMEOUT_AFTER_ACCEPT, CONNECTION_RESET, SLOW,
    PARTIAL_FILL, NO_FILL, STALE_QUOTE, NO_QUOTE, STREAM_DROP;

    /** The kebab-case name: {@code timeout-after-accept}. */
    public String wire() {
        return Names.kebab(this);
    }

    /** Parses {@code timeout-after-accept} etc.; an unknown name throws, listing the valid ones. */
    public static FaultKind parse(String name) {
        return Names.parse(FaultKind.class, "fault kind", name);
    }

    /** The operations this kind can act on: fill faults only on submits, quote faults only on quotes. */
    Set<BrokerCall> applicableOps() {
        return switch (this) {
            case PARTIAL_FILL, NO_FILL -> EnumSet.of(BrokerCall.SUBMIT);
            case STALE_QUOTE, NO_QUOTE -> EnumSet.of(BrokerCall.QUOTE);
            case STREAM_DROP -> EnumSet.of(BrokerCall.STREAM);
            // a stream event is no broker call: only stream-drop selects it
            default -> EnumSet.complementOf(EnumSet.of(BrokerCall.STREAM));
        };
    }

    /** Whether the call fails with an exception when this kind fires (slow and the fill and quote kinds do not). */
    boolean fails() {
        return switch (this) {
            case SLOW, PARTIAL_FILL, NO_FILL, STALE_QUOTE, STREAM_DROP -> false;
            default -> true;
        };
    }
}
