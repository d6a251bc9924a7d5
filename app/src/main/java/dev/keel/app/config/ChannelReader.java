package dev.keel.app.config;

import dev.keel.core.error.Severity;
import dev.keel.notify.email.EmailSettings;
import dev.keel.notify.http.SmsChannel;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code notifications}: either a list of channels (the short form), or a mapping with {@code channels},
 * {@code routing}, {@code escalation}, {@code dashboard} and {@code runbooks}.
 */
final class ChannelReader {
    /** The default bound on one remote send: 10 s. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private ChannelReader() {
    }

    /** What {@code notifications} holds; null parts where the file is wrong (reported). */
    record Read(List<ChannelConfig> channels, NotifySettings settings) {
    }

    static Read read(Field field, Path base) {
        if (!field.present()) {
            return new Read(List.of(ChannelConfig.console()), NotifySettings.DEFAULTS);
        }
        if (field.isList()) {
            return new Read(channels(field, base), NotifySettings.DEFAULTS);
        }
        Section s = field.section();
        int mark = s.problemCount();
        Field channelsField = s.field("channels");
        List<ChannelConfig> channels = channelsField.present() ? channels(channelsField, base)
                : List.of(ChannelConfig.console());
        String dashboard = web(s.field("dashboard"), null);
        Field runbooksField = s.field("runbooks");
        String runbooks = runbooksField.text(NotifySettings.DEFAULTS.runbooks());
        if (runbooks != null && !runbooks.endsWith("/")) {
            runbooksField.problem("must be a folder ending in '/', but was '" + runbooks + "'");
        }
        Set<String> names = new LinkedHashSet<>();
        if (channels != null) {
            channels.forEach(c -> names.add(c.name()));
        }
        Map<Severity, List<String>> routing = s.has("routing") ? routing(s.field("routing"), names) : null;
        Section escalation = s.field("escalation").section();
        Severity raiseFrom = escalation.field("raise-from").choice(Severity.values(), Severity::wire,
                NotifySettings.DEFAULTS.raiseFrom());
        Map<Severity, List<NotifySettings.Tier>> tiers = null;
        for (Severity severity : Severity.values()) {
            if (escalation.has(severity.wire())) {
                if (tiers == null) {
                    tiers = new EnumMap<>(Severity.class);
                }
                tiers.put(severity, tiers(escalation.field(severity.wire()), names));
            }
        }
        escalation.finish();
        Map<Severity, NotifySettings.RateLimit> limits = s.has("rate-limits") ? rateLimits(s.field("rate-limits"))
                : null;
        s.finish();
        if (s.problemCount() > mark) {
            return new Read(channels, null);
        }
        return new Read(channels, new NotifySettings(dashboard, runbooks, routing, raiseFrom, tiers, limits));
    }

    private static List<ChannelConfig> channels(Field field, Path base) {
        int mark = field.problemCount();
        List<Field> items = field.items();
        if (items.isEmpty() && field.problemCount() == mark) {
            field.problem("must list at least one channel, e.g. [ { kind: console } ]");
        }
        List<ChannelConfig> channels = new ArrayList<>();
        Map<String, Field> seen = new HashMap<>();
        for (Field item : items) {
            ChannelConfig channel = channel(item, base);
            if (channel != null) {
                Field first = seen.putIfAbsent(channel.name(), item);
                if (first != null) {
                    item.problem("channel name '" + channel.name() + "' is used by " + first.path()
                            + " already; give each channel its own 'name'");
                }
            }
            channels.add(channel);
        }
        return field.problemCount() > mark ? null : channels;
    }

    private static ChannelConfig channel(Field item, Path base) {
        Section s = item.section();
        int mark = s.problemCount();
        ChannelConfig.Kind kind = s.field("kind").require(Field.oneOf(ChannelConfig.Kind.class))
                .choice(ChannelConfig.Kind.class, null);
        String name = s.field("name").text(null);
        Severity minSeverity = s.field("min-severity").choice(Severity.values(), Severity::wire,
                kind == ChannelConfig.Kind.SMS ? SmsChannel.DEFAULT_MINIMUM : Severity.INFO);
        Path path = null;
        ChannelConfig.Remote remote = null;
        if (kind == ChannelConfig.Kind.FILE) {
            Field pathField = s.field("path");
            path = pathField.file(null, base);
            pathField.require("the file to append notifications to");
        } else if (kind != null && kind != ChannelConfig.Kind.CONSOLE) {
            Duration timeout = s.field("timeout").duration(DEFAULT_TIMEOUT, true);
            remote = switch (kind) {
                case EMAIL -> email(s, timeout, base);
                case SLACK -> new ChannelConfig.Slack(secret(s, "webhook", "the Slack incoming webhook's address",
                        true, base), timeout);
                case WEBHOOK -> new ChannelConfig.Webhook(uri(s.field("url").require("the receiver's http(s)"
                        + " address")), secret(s, "secret", "the webhook's signing secret", true, base), timeout);
                case SMS -> sms(s, timeout, base);
                case CONSOLE, FILE -> null;
            };
        }
        s.finish();
        return s.problemCount() > mark || kind == null ? null
                : new ChannelConfig(kind, name, path, minSeverity, remote);
    }

    private static ChannelConfig.Email email(Section s, Duration timeout, Path base) {
        String host = s.field("host").require("the SMTP server's host name").text(null);
        EmailSettings.Security security = s.field("security").choice(EmailSettings.Security.values(),
                v -> v.name().toLowerCase(java.util.Locale.ROOT), EmailSettings.Security.STARTTLS);
        int defaultPort = security == null ? 587 : switch (security) {
            case STARTTLS -> 587;
            case SMTPS -> 465;
            case NONE -> 25;
        };
        Integer port = s.field("port").whole(defaultPort, Bound.between("1", true, "65535", true));
        Field userField = s.field("username");
        String username = userField.text(null);
        SecretRef password = secret(s, "password", "the SMTP password", false, base);
        if (username != null && password == null && !s.has("password")) {
            s.field("password-env").problem("is missing; expected the environment variable holding the SMTP "
                    + "password of user '" + username + "' (or password-file: PATH)");
        } else if (username == null && password != null) {
            userField.problem("is missing; expected the SMTP login that goes with the password");
        }
        String from = s.field("from").require("the sender's address").text(null);
        List<String> to = texts(s.field("to").require("a list of recipient addresses"));
        String sslTrust = s.field("ssl-trust").text(null);
        if (host == null || port == null || from == null || to == null || security == null) {
            return null;
        }
        return new ChannelConfig.Email(host, port, security, username, password, from, to, timeout, sslTrust);
    }

    private static ChannelConfig.Sms sms(Section s, Duration timeout, Path base) {
        String baseUrl = web(s.field("base-url"), SmsChannel.DEFAULT_BASE_URL);
        String sid = s.field("account-sid").require("the Twilio account SID (AC...)").text(null);
        SecretRef token = secret(s, "token", "the Twilio auth token", true, base);
        String from = s.field("from").require("the sending number, e.g. \"+15550001111\"").text(null);
        List<String> to = texts(s.field("to").require("a list of numbers to text, e.g. [\"+15552223333\"]"));
        if (baseUrl == null || sid == null || from == null || to == null) {
            return null;
        }
        return new ChannelConfig.Sms(baseUrl, sid, token, from, to, timeout);
    }

    /**
     * {@code NAME-env} or {@code NAME-file}; a literal {@code NAME} is refused, naming the two forms.
     *
     * @param required whether one of them must be given
     */
    private static SecretRef secret(Section s, String name, String what, boolean required, Path base) {
        Field literal = s.field(name);
        Field env = s.field(name + "-env");
        Field file = s.field(name + "-file");
        if (literal.present()) {
            literal.problem("literal secrets do not belong in a config file; give " + name + "-env: VARIABLE or "
                    + name + "-file: PATH (a file outside the repository) holding " + what);
            return null;
        }
        if (env.present() && file.present()) {
            file.problem("cannot be combined with " + name + "-env; give one place to read " + what + " from");
            return null;
        }
        if (env.present()) {
            String variable = env.text(null);
            return variable == null ? null : new SecretRef(env.source(), env.line(), env.path(), what, variable, null);
        }
        if (file.present()) {
            Path path = file.file(null, base);
            return path == null ? null : new SecretRef(file.source(), file.line(), file.path(), what, null, path);
        }
        if (required) {
            env.problem("is missing; expected the environment variable holding " + what + " (or " + name
                    + "-file: PATH)");
        }
        return null;
    }

    private static Map<Severity, List<String>> routing(Field field, Set<String> names) {
        Section s = field.section();
        Map<Severity, List<String>> routes = new EnumMap<>(Severity.class);
        for (Severity severity : Severity.values()) {
            Field f = s.field(severity.wire());
            if (f.present()) {
                routes.put(severity, channelNames(f, names));
            }
        }
        s.finish();
        return routes;
    }

    /** {@code severity: { count: N, per: DURATION }}; a severity left out has no limit. */
    private static Map<Severity, NotifySettings.RateLimit> rateLimits(Field field) {
        Section s = field.section();
        Map<Severity, NotifySettings.RateLimit> limits = new EnumMap<>(Severity.class);
        for (Severity severity : Severity.values()) {
            if (s.has(severity.wire())) {
                Section l = s.field(severity.wire()).section();
                Integer count = l.field("count").require("how many messages per window, e.g. 5")
                        .whole(null, Bound.atLeast(1));
                Duration per = l.field("per").require("the window, e.g. 5m").duration(null, true);
                l.finish();
                if (count != null && per != null) {
                    limits.put(severity, new NotifySettings.RateLimit(count, per));
                }
            }
        }
        s.finish();
        return limits;
    }

    private static List<NotifySettings.Tier> tiers(Field field, Set<String> names) {
        List<NotifySettings.Tier> tiers = new ArrayList<>();
        Duration last = Duration.ZERO;
        for (Field item : field.items()) {
            Section t = item.section();
            Field afterField = t.field("after").require("how long unacknowledged before this tier, e.g. 15m");
            Duration after = afterField.duration(null, true);
            List<String> to = channelNames(t.field("to").require("the channels of this tier, e.g. [sms]"), names);
            t.finish();
            if (after != null && after.compareTo(last) <= 0) {
                afterField.problem("must come after the tier before it (" + DurationFormat.format(last)
                        + "), but was " + DurationFormat.format(after));
            }
            if (after != null && to != null) {
                tiers.add(new NotifySettings.Tier(after, to));
                last = after;
            }
        }
        return tiers;
    }

    private static List<String> channelNames(Field field, Set<String> names) {
        List<String> out = texts(field);
        if (out == null) {
            return null;
        }
        for (String name : out) {
            if (!names.contains(name)) {
                field.problem("names channel '" + name + "', which is not configured; expected one of "
                        + String.join(", ", names));
                return null;
            }
        }
        return out;
    }

    private static List<String> texts(Field field) {
        if (!field.present()) {
            return null;
        }
        int mark = field.problemCount();
        List<String> out = new ArrayList<>();
        for (Field item : field.items()) {
            out.add(item.text(null));
        }
        if (field.problemCount() > mark) {
            return null;
        }
        if (out.isEmpty()) {
            field.problem("must list at least one entry, but was empty");
            return null;
        }
        return out;
    }

    private static URI uri(Field field) {
        String text = web(field, null);
        return text == null ? null : URI.create(text);
    }

    /** An http(s) address. */
    private static String web(Field field, String fallback) {
        String text = field.text(fallback);
        if (text == null || !field.present()) {
            return text;
        }
        try {
            URI uri = new URI(text);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                field.problem("expected an http(s) address like https://host/path, but was '" + text + "'");
                return null;
            }
            return text;
        } catch (URISyntaxException e) {
            field.problem("expected an http(s) address like https://host/path, but was '" + text + "'");
            return null;
        }
    }
}
