package dev.keel.core.notify;

/**
 * Which channels a notification goes to. The outbox asks it for every notification that names no channels of its
 * own; the default sends to every channel whose minimum severity the notification reaches.
 */
@FunctionalInterface
public interface Routing {
    /** The default: every channel that {@linkplain NotificationChannel#accepts accepts} the notification. */
    Routing BY_MINIMUM_SEVERITY = (notification, channel) -> channel.accepts(notification);

    /** Whether {@code channel} should get {@code notification}. */
    boolean routes(Notification notification, NotificationChannel channel);
}
