package dev.keel.app.config;

import dev.keel.core.error.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How notifications are routed, escalated and linked, beside the channels themselves.
 *
 * @param dashboard   the dashboard's address every notification links to, or null
 * @param runbooks    the folder of runbook pages notifications link to (URL or path ending in '/')
 * @param routing     the channel names of each severity, or null for the requirement's defaults by channel kind
 * @param raiseFrom   the least severity that raises an alert
 * @param escalation  the tiers of each severity, or null for the defaults by channel kind
 * @param rateLimits  per severity, at most {@code count} messages per channel per {@code per}, which is also how long
 *                    the same error on one account is grouped; null for the requirement's defaults
 */
public record NotifySettings(String dashboard, String runbooks, Map<Severity, List<String>> routing,
                             Severity raiseFrom, Map<Severity, List<Tier>> escalation,
                             Map<Severity, RateLimit> rateLimits) {
    /** The defaults: runbooks under {@code docs/runbooks/}, routing, escalation and rate limits by the requirement. */
    public static final NotifySettings DEFAULTS = new NotifySettings(null, "docs/runbooks/", null, Severity.MEDIUM,
            null, null);

    /** A channel's limit for one severity. */
    public record RateLimit(int count, Duration per) {
    }

    /** One escalation tier: after this long unacknowledged, to these channels. */
    public record Tier(Duration after, List<String> to) {
        public Tier {
            to = List.copyOf(to);
        }
    }

    public NotifySettings {
        Objects.requireNonNull(runbooks, "runbooks");
        Objects.requireNonNull(raiseFrom, "raiseFrom");
        routing = routing == null ? null : Map.copyOf(routing);
        escalation = escalation == null ? null : Map.copyOf(escalation);
        rateLimits = rateLimits == null ? null : Map.copyOf(rateLimits);
    }
}
