package dev.keel.notify.alert;

import dev.keel.core.error.Severity;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which notifications become alerts, and where an unacknowledged alert goes next. Each severity has a list of tiers;
 * tier {@code k} is due when the alert is still unacknowledged {@code after} its notification was queued.
 *
 * @param raiseFrom the least severe notification that raises an alert (default {@link Severity#MEDIUM}); less
 *                  severe ones are only delivered
 * @param tiers     the escalation tiers of each severity, in order; a severity without tiers never escalates
 */
public record EscalationPolicy(Severity raiseFrom, Map<Severity, List<Tier>> tiers) {
    /** The default least severity that raises an alert: MEDIUM. */
    public static final Severity DEFAULT_RAISE_FROM = Severity.MEDIUM;
    /** The default delay before a HIGH alert pages by SMS: 15 minutes. */
    public static final Duration DEFAULT_HIGH_DELAY = Duration.ofMinutes(15);
    /** The default delay before a MEDIUM alert goes to the HIGH channels: 30 minutes. */
    public static final Duration DEFAULT_MEDIUM_DELAY = Duration.ofMinutes(30);

    /**
     * One step of escalation.
     *
     * @param after    how long after the notification was queued, unacknowledged
     * @param channels the channels it goes to then
     */
    public record Tier(Duration after, List<String> channels) {
        public Tier {
            Objects.requireNonNull(after, "after");
            channels = List.copyOf(channels);
            if (after.isNegative() || after.isZero()) {
                throw new IllegalArgumentException("after must be positive, but was " + after);
            }
            if (channels.isEmpty()) {
                throw new IllegalArgumentException("a tier must name at least one channel, but named none");
            }
        }
    }

    public EscalationPolicy {
        Objects.requireNonNull(raiseFrom, "raiseFrom");
        Map<Severity, List<Tier>> copy = new EnumMap<>(Severity.class);
        tiers.forEach((severity, list) -> {
            for (int i = 1; i < list.size(); i++) {
                if (list.get(i).after().compareTo(list.get(i - 1).after()) <= 0) {
                    throw new IllegalArgumentException("tiers of " + severity.wire() + " must come later one after "
                            + "another, but tier " + (i + 1) + " is at " + list.get(i).after() + " after "
                            + list.get(i - 1).after());
                }
            }
            copy.put(severity, List.copyOf(list));
        });
        tiers = Map.copyOf(copy);
    }

    /** No alerts at all. */
    public static EscalationPolicy none() {
        return new EscalationPolicy(Severity.CRITICAL, Map.of());
    }

    /**
     * The requirement's defaults over the named channels: a HIGH alert unacknowledged for 15 minutes goes to the SMS
     * channels; a MEDIUM one unacknowledged for 30 minutes to the e-mail and Slack channels (HIGH's tier). CRITICAL
     * reaches every tier at once, so it has none left. A tier with no channel configured is left out.
     */
    public static EscalationPolicy defaults(List<String> sms, List<String> emailAndSlack) {
        Map<Severity, List<Tier>> tiers = new EnumMap<>(Severity.class);
        if (!sms.isEmpty()) {
            tiers.put(Severity.HIGH, List.of(new Tier(DEFAULT_HIGH_DELAY, sms)));
        }
        if (!emailAndSlack.isEmpty()) {
            tiers.put(Severity.MEDIUM, List.of(new Tier(DEFAULT_MEDIUM_DELAY, emailAndSlack)));
        }
        return new EscalationPolicy(DEFAULT_RAISE_FROM, tiers);
    }

    public List<Tier> tiersOf(Severity severity) {
        return tiers.getOrDefault(severity, List.of());
    }

    public boolean raises(Severity severity) {
        return severity.atLeast(raiseFrom);
    }
}
