package dev.keel.core.notify;

import java.util.List;

/**
 * What one {@link Outbox#dispatch()} round did.
 *
 * @param attempts    every send tried, in order
 * @param settled     notifications that left the outbox delivered to every channel
 * @param pending     notifications still in the outbox, to be retried by a later round (none is ever given up)
 */
public record DeliveryReport(List<Attempt> attempts, List<String> settled, List<String> pending) {
    public DeliveryReport {
        attempts = List.copyOf(attempts);
        settled = List.copyOf(settled);
        pending = List.copyOf(pending);
    }

    /**
     * One send to one channel.
     *
     * @param attempt   1 for the channel's first try of this notification
     * @param delivered whether the channel took it
     * @param error     the failure's message when not delivered, else null
     */
    public record Attempt(String notificationId, String channel, int attempt, boolean delivered, String error) {
    }

    public long deliveries() {
        return attempts.stream().filter(Attempt::delivered).count();
    }

    public long failures() {
        return attempts.stream().filter(a -> !a.delivered()).count();
    }
}
