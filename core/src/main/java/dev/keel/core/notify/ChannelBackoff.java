package dev.keel.core.notify;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Which channels are resting after a failure, in memory. A failed send closes its channel for the schedule's wait
 * (doubling while it keeps failing), so a channel that is down costs one attempt per wait, not one per queued
 * notification; its first success opens it again. It also remembers which notification failed last, so the next
 * attempt tries another one first: a message the channel refuses for itself (too long, say) does not keep a
 * working channel closed. A restarted outbox forgets this and tries each channel once.
 * Thread-safe: dispatching threads share it.
 */
final class ChannelBackoff {
    private final RetrySchedule schedule;
    private final Map<String, State> states = new HashMap<>();

    /** @param lastFailed the notification whose send failed last, while the channel has not delivered since */
    private record State(int failures, Instant nextTry, String lastFailed) {
    }

    ChannelBackoff(RetrySchedule schedule) {
        this.schedule = schedule;
    }

    /** Whether {@code channel} may be tried at {@code now}. */
    synchronized boolean open(String channel, Instant now) {
        State s = states.get(channel);
        return s == null || s.nextTry() == null || !now.isBefore(s.nextTry());
    }

    /** When {@code channel} may be tried next, or null when it may be tried now. */
    synchronized Instant nextTry(String channel, Instant now) {
        State s = states.get(channel);
        return s == null || s.nextTry() == null || !now.isBefore(s.nextTry()) ? null : s.nextTry();
    }

    /**
     * The notification whose send on {@code channel} failed last, the channel not having delivered since; null when
     * the channel's last send succeeded.
     */
    synchronized String lastFailed(String channel) {
        State s = states.get(channel);
        return s == null ? null : s.lastFailed();
    }

    synchronized void failed(String channel, String notificationId, Instant now) {
        State s = states.get(channel);
        int failures = s == null ? 1 : s.failures() + 1;
        states.put(channel, new State(failures, now.plus(schedule.after(failures)), notificationId));
    }

    synchronized void succeeded(String channel) {
        states.remove(channel);
    }
}
