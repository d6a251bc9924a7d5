package dev.keel.core.journal;

/**
 * What the resilience policies of one broker connection did: breaker transitions, refused and delayed calls (as
 * periodic counts, never one event per call), broker-wide pauses and failover. The stream is {@code broker:NAME}.
 */
public sealed interface BrokerEvent extends JournalEvent permits BreakerTransitioned, CallsRefused, CallsDelayed,
        BrokerPaused, EndpointSwitched {
    /** The broker's name, e.g. {@code paper}. */
    String broker();

    @Override
    default String streamId() {
        return "broker:" + broker();
    }

    @Override
    default String streamKind() {
        return BROKER;
    }
}
