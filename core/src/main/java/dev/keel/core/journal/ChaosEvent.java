package dev.keel.core.journal;

/**
 * A chaos rehearsal: faults injected on purpose for a while, so an operator sees how Keel and its alerts behave
 * before a real outage does it for them. The stream is {@code chaos:ID}; it closes when the session ends.
 */
public sealed interface ChaosEvent extends JournalEvent permits ChaosStarted, ChaosEnded {
    String sessionId();

    @Override
    default String streamId() {
        return "chaos:" + sessionId();
    }

    @Override
    default String streamKind() {
        return CHAOS;
    }

    @Override
    default String accountId() {
        return null;
    }
}
