package dev.keel.core.notify;

import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.NotificationAttemptFailed;
import dev.keel.core.journal.NotificationDelivered;
import dev.keel.core.journal.NotificationEvent;
import dev.keel.core.journal.NotificationGrouped;
import dev.keel.core.journal.NotificationQueued;
import dev.keel.core.journal.NotificationSettled;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One notification's outbox state, folded from its journal stream. */
final class OutboxEntry {
    private NotificationQueued queued;
    private final Set<String> delivered = new HashSet<>();
    /** Channels that carried it in another notification's message: delivered, but not sent on its own. */
    private final Set<String> grouped = new HashSet<>();
    private final Map<String, Integer> failures = new HashMap<>();
    /** The last failed attempt per channel: when the next one is due, and what the operator is shown. */
    private final Map<String, NotificationAttemptFailed> lastFailure = new HashMap<>();
    private boolean settled;

    static OutboxEntry fold(List<JournalRecord> stream) {
        OutboxEntry entry = new OutboxEntry();
        for (JournalRecord record : stream) {
            if (record.event() instanceof NotificationEvent event) {
                entry.apply(event);
            }
        }
        return entry;
    }

    void apply(NotificationEvent event) {
        switch (event) {
            case NotificationQueued q -> queued = q;
            case NotificationDelivered d -> delivered.add(d.channel());
            case NotificationAttemptFailed f -> {
                failures.merge(f.channel(), 1, Integer::sum);
                lastFailure.put(f.channel(), f);
            }
            case NotificationSettled s -> settled = true;
            case NotificationGrouped g -> grouped.add(g.channel());
        }
    }

    /** The queued event, or null when the stream holds none (nothing to send). */
    NotificationQueued queued() {
        return queued;
    }

    /** Whether any channel has been tried on its own: delivered to, or failed (carried by another does not count). */
    boolean attempted() {
        return !delivered.isEmpty() || !failures.isEmpty();
    }

    boolean settled() {
        return settled;
    }

    boolean deliveredTo(String channel) {
        return delivered.contains(channel) || grouped.contains(channel);
    }

    int failures(String channel) {
        return failures.getOrDefault(channel, 0);
    }

    /** The channel's last failed attempt at this notification, or null when it has not failed. */
    NotificationAttemptFailed lastFailure(String channel) {
        return lastFailure.get(channel);
    }
}
