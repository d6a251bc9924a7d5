package dev.keel.app.runtime;

import dev.keel.app.config.ChannelConfig;
import dev.keel.app.config.KeelConfig;
import dev.keel.app.config.NotifySettings;
import dev.keel.core.error.Severity;
import dev.keel.core.notify.ConsoleChannel;
import dev.keel.core.notify.FileChannel;
import dev.keel.core.notify.NotificationChannel;
import dev.keel.core.notify.Outbox;
import dev.keel.notify.Links;
import dev.keel.notify.alert.AlertDesk;
import dev.keel.notify.alert.EscalationPolicy;
import dev.keel.notify.alert.SeverityRouting;
import dev.keel.notify.email.EmailChannel;
import dev.keel.notify.email.EmailSettings;
import dev.keel.notify.http.SlackChannel;
import dev.keel.notify.http.SmsChannel;
import dev.keel.notify.http.WebhookChannel;
import dev.keel.notify.limit.RateLimits;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The outbox's channels, routing and escalation as the configuration describes them. Secrets are read here, from
 * the environment given, when the channels are built.
 */
final class NotifySetup {
    private NotifySetup() {
    }

    static List<NotificationChannel> channels(KeelConfig config, PrintStream console, Clock clock,
                                              Map<String, String> env) {
        Links links = links(config.alerting());
        List<NotificationChannel> channels = new ArrayList<>();
        for (ChannelConfig c : config.notifications()) {
            channels.add(switch (c.remote()) {
                case null -> c.kind() == ChannelConfig.Kind.FILE
                        ? new FileChannel(c.name(), c.path(), c.minSeverity())
                        : new ConsoleChannel(c.name(), console, c.minSeverity());
                case ChannelConfig.Email e -> new EmailChannel(c.name(), c.minSeverity(), new EmailSettings(e.host(),
                        e.port(), e.security(), e.username(), e.password() == null ? null : e.password().resolve(env),
                        e.from(), e.to(), e.timeout(), e.sslTrust()), links);
                case ChannelConfig.Slack s -> new SlackChannel(c.name(), c.minSeverity(), s.webhook().resolve(env),
                        links, s.timeout());
                case ChannelConfig.Webhook w -> new WebhookChannel(c.name(), c.minSeverity(), w.url(),
                        w.secret().resolve(env), links, w.timeout(), clock);
                case ChannelConfig.Sms m -> new SmsChannel(c.name(), c.minSeverity(), m.baseUrl(), m.accountSid(),
                        m.token().resolve(env), m.from(), m.to(), links, m.timeout());
            });
        }
        return channels;
    }

    static Links links(NotifySettings settings) {
        return new Links(settings.dashboard(), settings.runbooks());
    }

    /** The configured routing, or the requirement's defaults by channel kind. */
    static SeverityRouting routing(KeelConfig config) {
        Map<Severity, List<String>> configured = config.alerting().routing();
        if (configured != null) {
            Map<Severity, Set<String>> routes = new EnumMap<>(Severity.class);
            configured.forEach((severity, names) -> routes.put(severity, new LinkedHashSet<>(names)));
            return new SeverityRouting(routes);
        }
        return SeverityRouting.defaults(names(config, ChannelConfig.Kind.CONSOLE, ChannelConfig.Kind.FILE),
                names(config, ChannelConfig.Kind.EMAIL), names(config, ChannelConfig.Kind.SLACK),
                names(config, ChannelConfig.Kind.WEBHOOK), names(config, ChannelConfig.Kind.SMS));
    }

    /** The configured escalation, or the requirement's defaults by channel kind. */
    static EscalationPolicy escalation(KeelConfig config) {
        NotifySettings settings = config.alerting();
        if (settings.escalation() == null) {
            EscalationPolicy defaults = EscalationPolicy.defaults(names(config, ChannelConfig.Kind.SMS),
                    names(config, ChannelConfig.Kind.EMAIL, ChannelConfig.Kind.SLACK));
            return new EscalationPolicy(settings.raiseFrom(), defaults.tiers());
        }
        Map<Severity, List<EscalationPolicy.Tier>> tiers = new EnumMap<>(Severity.class);
        settings.escalation().forEach((severity, list) -> tiers.put(severity, list.stream()
                .map(t -> new EscalationPolicy.Tier(t.after(), t.to())).toList()));
        return new EscalationPolicy(settings.raiseFrom(), tiers);
    }

    /** Routing, rate limits and alert raising on the outbox being built. */
    static Outbox.Builder configure(Outbox.Builder outbox, KeelConfig config, Clock clock) {
        return outbox.routing(routing(config)).throttle(rateLimits(config))
                .firstSendEvents(AlertDesk.raising(escalation(config), clock));
    }

    /** The configured rate limits, or the requirement's defaults. */
    static RateLimits rateLimits(KeelConfig config) {
        Map<Severity, NotifySettings.RateLimit> configured = config.alerting().rateLimits();
        if (configured == null) {
            return new RateLimits(RateLimits.DEFAULTS);
        }
        Map<Severity, RateLimits.Limit> limits = new EnumMap<>(Severity.class);
        configured.forEach((severity, l) -> limits.put(severity, new RateLimits.Limit(l.count(), l.per())));
        return new RateLimits(limits);
    }

    private static List<String> names(KeelConfig config, ChannelConfig.Kind... kinds) {
        Set<ChannelConfig.Kind> wanted = Set.of(kinds);
        return config.notifications().stream().filter(c -> wanted.contains(c.kind())).map(ChannelConfig::name)
                .toList();
    }
}
