package dev.keel.notify.alert;

import dev.keel.core.error.Severity;
import dev.keel.core.notify.Notification;
import dev.keel.core.notify.NotificationChannel;
import dev.keel.core.notify.Routing;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Routing by severity: each severity names the channels it goes to, and a channel still gets only what reaches its
 * own minimum severity.
 *
 * @param routes the channel names of each severity; a severity not in the map goes nowhere
 */
public record SeverityRouting(Map<Severity, Set<String>> routes) implements Routing {
    public SeverityRouting {
        Map<Severity, Set<String>> copy = new EnumMap<>(Severity.class);
        routes.forEach((severity, names) -> copy.put(severity, Set.copyOf(names)));
        routes = Map.copyOf(copy);
    }

    /**
     * The requirement's defaults over the channels configured, by their kinds: CRITICAL goes to e-mail, Slack and
     * SMS at once; HIGH to e-mail and Slack; MEDIUM to Slack, or e-mail when there is no Slack; LOW and INFO to the
     * log channels (console, file) only. The log channels and webhooks get every severity from MEDIUM up (webhooks)
     * or all of them (log), each within its minimum severity.
     */
    public static SeverityRouting defaults(List<String> logs, List<String> email, List<String> slack,
                                           List<String> webhooks, List<String> sms) {
        Map<Severity, Set<String>> routes = new EnumMap<>(Severity.class);
        routes.put(Severity.CRITICAL, union(logs, email, slack, sms, webhooks));
        routes.put(Severity.HIGH, union(logs, email, slack, webhooks));
        routes.put(Severity.MEDIUM, union(logs, slack.isEmpty() ? email : slack, webhooks));
        routes.put(Severity.LOW, union(logs));
        routes.put(Severity.INFO, union(logs));
        return new SeverityRouting(routes);
    }

    @SafeVarargs
    private static Set<String> union(List<String>... lists) {
        Set<String> out = new LinkedHashSet<>();
        for (List<String> list : lists) {
            out.addAll(Objects.requireNonNull(list));
        }
        return out;
    }

    /** The channels of {@code severity}, in no particular order. */
    public List<String> channelsOf(Severity severity) {
        return new ArrayList<>(routes.getOrDefault(severity, Set.of()));
    }

    @Override
    public boolean routes(Notification notification, NotificationChannel channel) {
        return routes.getOrDefault(notification.severity(), Set.of()).contains(channel.name())
                && channel.accepts(notification);
    }
}
