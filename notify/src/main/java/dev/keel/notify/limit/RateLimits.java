package dev.keel.notify.limit;

import dev.keel.core.error.Severity;
import dev.keel.core.notify.Notification;
import dev.keel.core.notify.Throttle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rate limits and grouping per channel and severity, behind the outbox ({@link Throttle}). A channel sends at most
 * {@link Limit#count()} messages of a severity per {@link Limit#window()}; and the same error (code, or title when
 * there is none) on the same account is sent once per window: what comes after is held back, and the next message
 * of that error on that channel carries it as "and N more like this". Nothing is dropped: a held notification stays
 * in the outbox until a message carries it. The outbox tells it first of everything waiting in a round ({@link
 * #waiting}), so after an outage the backlog of an error goes out as one message that counts the rest. A hold for
 * the count limit says so ({@link Hold.Reason#LIMIT}): the outbox then sends nothing less severe on that channel in
 * the round, so the most severe go first. Escalation pages (notifications that name their channels) and severities
 * without a limit go out at once.
 *
 * <p>What was sent and held lives in memory: after a restart the limits start empty, and a notification held before
 * it is summarised again by the next message (told twice rather than never, as the outbox's at-least-once).
 */
public final class RateLimits implements Throttle {

    /**
     * At most {@code count} messages per {@code window}; also how long the same error on one account is grouped.
     */
    public record Limit(int count, Duration window) {
        public Limit {
            Objects.requireNonNull(window, "window");
            if (count < 1) {
                throw new IllegalArgumentException("count must be at least 1, but was " + count);
            }
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("window must be positive, but was " + window);
            }
        }
    }

    /** The requirement's defaults: critical 5 per 5 minutes, error (HIGH) 10 per 15 minutes, warning (MEDIUM) 20 per hour. */
    public static final Map<Severity, Limit> DEFAULTS = Map.of(
            Severity.CRITICAL, new Limit(5, Duration.ofMinutes(5)),
            Severity.HIGH, new Limit(10, Duration.ofMinutes(15)),
            Severity.MEDIUM, new Limit(20, Duration.ofHours(1)));

    private final Map<Severity, Limit> limits;
    /** Send times per channel and severity, oldest first, within the window. */
    private final Map<String, Map<Severity, Deque<Instant>>> sends = new HashMap<>();
    private final Map<GroupKey, Group> groups = new HashMap<>();
    /** (channel, notification) to the notification whose message carried it. */
    private final Map<String, String> carried = new HashMap<>();

    private record GroupKey(String channel, String accountId, String error, Severity severity) {
        static GroupKey of(Notification n, String channel) {
            return new GroupKey(channel, n.accountId(), n.code() != null ? n.code().name() : n.title(), n.severity());
        }
    }

    private static final class Group {
        Instant lastSent;
        /** A notification told to send whose send has not succeeded yet (a channel down): the others wait for it. */
        String inFlight;
        Instant inFlightSince;
        final Map<String, Instant> held = new LinkedHashMap<>();
    }

    /** @param limits per severity; a severity without one is never held */
    public RateLimits(Map<Severity, Limit> limits) {
        this.limits = limits.isEmpty() ? Map.of() : new EnumMap<>(limits);
    }

    @Override
    public synchronized Decision decide(Notification n, String channel, Instant now) {
        Limit limit = limits.get(n.severity());
        if (limit == null || n.channels() != null) {
            return new Send(n, List.of());
        }
        String leader = carried.get(channel + "\n" + n.id());
        if (leader != null) {
            return new Carried(leader);
        }
        Group group = groups.computeIfAbsent(GroupKey.of(n, channel), k -> new Group());
        Deque<Instant> recent = recent(channel, n.severity(), now, limit);
        boolean limited = recent.size() >= limit.count();
        boolean grouping = group.lastSent != null && now.isBefore(group.lastSent.plus(limit.window()));
        // While one send of this error is failing (its channel down), the others wait to ride on it; a window later
        // (its attempts may have run out) another takes its place.
        boolean waiting = group.inFlight != null && !group.inFlight.equals(n.id())
                && now.isBefore(group.inFlightSince.plus(limit.window()));
        if (limited || grouping || waiting) {
            group.held.putIfAbsent(n.id(), n.at());
            return new Hold(limited ? Hold.Reason.LIMIT : Hold.Reason.GROUPING);
        }
        List<String> carries = new ArrayList<>();
        Instant since = null;
        for (Map.Entry<String, Instant> held : group.held.entrySet()) {
            if (!held.getKey().equals(n.id())) {
                carries.add(held.getKey());
                since = since == null || held.getValue().isBefore(since) ? held.getValue() : since;
            }
        }
        if (!n.id().equals(group.inFlight)) {
            group.inFlight = n.id();
            group.inFlightSince = now;
        }
        return new Send(carries.isEmpty() ? n : summarised(n, carries.size(), since, channel), carries);
    }

    /** Puts {@code n} among its error's held ones, so the next message of that error carries it. */
    @Override
    public synchronized void waiting(Notification n, String channel, Instant now) {
        if (limits.get(n.severity()) == null || n.channels() != null || carried.containsKey(channel + "\n" + n.id())) {
            return;
        }
        groups.computeIfAbsent(GroupKey.of(n, channel), k -> new Group()).held.putIfAbsent(n.id(), n.at());
    }

    @Override
    public synchronized void sent(Notification n, String channel, Send decision, Instant now) {
        Limit limit = limits.get(n.severity());
        if (limit == null || n.channels() != null) {
            return;
        }
        recent(channel, n.severity(), now, limit).addLast(now);
        Group group = groups.computeIfAbsent(GroupKey.of(n, channel), k -> new Group());
        group.lastSent = now;
        group.inFlight = null;
        group.held.remove(n.id());
        for (String id : decision.carries()) {
            group.held.remove(id);
            carried.put(channel + "\n" + id, n.id());
        }
    }

    /** The notification with its title and body saying how many more like it it carries. */
    static Notification summarised(Notification n, int more, Instant since, String channel) {
        String tail = "and " + more + " more like this";
        return new Notification(n.id(), n.accountId(), n.txId(), n.severity(), n.title() + " (" + tail + ")",
                n.body() + "\n\n" + Character.toUpperCase(tail.charAt(0)) + tail.substring(1) + " since " + since
                        + " (the same error on this account), held back by channel '" + channel
                        + "''s rate limit and grouping; 'keel alerts list' shows the open alerts.",
                n.at(), n.code(), n.channels());
    }

    private Deque<Instant> recent(String channel, Severity severity, Instant now, Limit limit) {
        Deque<Instant> times = sends.computeIfAbsent(channel, c -> new EnumMap<>(Severity.class))
                .computeIfAbsent(severity, s -> new ArrayDeque<>());
        Instant cutoff = now.minus(limit.window());
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.removeFirst();
        }
        return times;
    }
}
