package dev.keel.core.notify;

import java.time.Instant;
import java.util.List;

/**
 * A notification still in the outbox and what it is waiting for, as an operator sees it ({@link Outbox#backlog()}).
 *
 * @param notification the notification
 * @param owed         the channels it is still owed to, in the outbox's channel order
 */
public record BacklogEntry(Notification notification, List<Owed> owed) {
    public BacklogEntry {
        owed = List.copyOf(owed);
    }

    /**
     * One channel a notification has not reached yet.
     *
     * @param channel   the channel's name
     * @param failures  the attempts that failed so far
     * @param lastError the last failure's message (never a secret: channels keep those out), or null
     * @param nextTry   when the outbox tries it next at the earliest, or null when on the next dispatch
     */
    public record Owed(String channel, int failures, String lastError, Instant nextTry) {
    }
}
