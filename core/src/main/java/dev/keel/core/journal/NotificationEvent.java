package dev.keel.core.journal;

/** The events of the durable outbox; the stream is {@code notification:ID}. */
public sealed interface NotificationEvent extends JournalEvent permits NotificationQueued, NotificationDelivered,
        NotificationAttemptFailed, NotificationSettled, NotificationGrouped {
    String notificationId();

    @Override
    default String streamId() {
        return "notification:" + notificationId();
    }

    @Override
    default String streamKind() {
        return NOTIFICATION;
    }
}
