package dev.keel.core.journal;

import java.time.Instant;
import java.util.Objects;

/**
 * A channel did not send this notification on its own: it went out as one of the "and N more like this" of another
 * notification's message (the same error on the same account, held back by the channel's rate limit or grouping
 * window). For the outbox it counts as delivered to that channel.
 *
 * @param leaderId the notification whose message carried it
 */
public record NotificationGrouped(String notificationId, String accountId, String channel, String leaderId,
                                  Instant at) implements NotificationEvent {
    public NotificationGrouped {
        Objects.requireNonNull(notificationId, "notificationId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(leaderId, "leaderId");
        Objects.requireNonNull(at, "at");
    }
}
