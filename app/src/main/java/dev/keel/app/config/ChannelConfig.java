package dev.keel.app.config;

import dev.keel.core.error.Severity;
import dev.keel.notify.email.EmailSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A notification channel of the outbox.
 *
 * @param kind        console, file, email, slack, webhook or sms
 * @param name        unique among the channels; the journal records deliveries by it, and routing and escalation
 *                    name channels by it. Default: the kind ({@code file:PATH} for a file)
 * @param path        the file a {@link Kind#FILE} channel appends to (absolute); null otherwise
 * @param minSeverity the least urgent severity delivered; default {@link Severity#INFO} ({@code critical} for sms)
 * @param remote      how a remote channel is reached, null for console and file
 */
public record ChannelConfig(Kind kind, String name, Path path, Severity minSeverity, Remote remote) {

    /** Where notifications go. */
    public enum Kind implements WireName {
        CONSOLE, FILE, EMAIL, SLACK, WEBHOOK, SMS
    }

    /** The settings of a channel that leaves the machine. */
    public sealed interface Remote permits Email, Slack, Webhook, Sms {
        /** The bound on one send. */
        Duration timeout();
    }

    /** SMTP: see {@link EmailSettings}; the password is read from {@code password}'s reference. */
    public record Email(String host, int port, EmailSettings.Security security, String username, SecretRef password,
                        String from, List<String> to, Duration timeout, String sslTrust) implements Remote {
        public Email {
            to = List.copyOf(to);
        }
    }

    /** A Slack incoming webhook, whose address is the secret. */
    public record Slack(SecretRef webhook, Duration timeout) implements Remote {
    }

    /** A signed JSON POST to {@code url}. */
    public record Webhook(URI url, SecretRef secret, Duration timeout) implements Remote {
    }

    /** Twilio's Messages API at {@code baseUrl}. */
    public record Sms(String baseUrl, String accountSid, SecretRef token, String from, List<String> to,
                      Duration timeout) implements Remote {
        public Sms {
            to = List.copyOf(to);
        }
    }

    public ChannelConfig {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(minSeverity, "minSeverity");
        if (name == null) {
            name = defaultName(kind, path);
        }
        if ((kind == Kind.FILE) != (path != null)) {
            throw new IllegalArgumentException("path must be given exactly for kind file, but kind was " + kind.wire()
                    + " and path " + path);
        }
        boolean local = kind == Kind.CONSOLE || kind == Kind.FILE;
        if (local != (remote == null)) {
            throw new IllegalArgumentException("remote settings must be given exactly for a remote kind, but kind was "
                    + kind.wire() + " and remote " + remote);
        }
    }

    /** A console or file channel under its default name. */
    public ChannelConfig(Kind kind, Path path, Severity minSeverity) {
        this(kind, null, path, minSeverity, null);
    }

    public static ChannelConfig console() {
        return new ChannelConfig(Kind.CONSOLE, null, Severity.INFO);
    }

    /** Where this channel's secrets are, for a check that they can be read; none for console and file. */
    public List<SecretRef> secrets() {
        return switch (remote) {
            case null -> List.of();
            case Email e -> e.password() == null ? List.of() : List.of(e.password());
            case Slack s -> List.of(s.webhook());
            case Webhook w -> List.of(w.secret());
            case Sms m -> List.of(m.token());
        };
    }

    /** {@code console}, {@code file:PATH}, or the kind's name. */
    static String defaultName(Kind kind, Path path) {
        return kind == Kind.FILE ? "file:" + path : kind.wire();
    }
}
