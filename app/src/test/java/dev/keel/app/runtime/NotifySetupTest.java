package dev.keel.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.app.config.ConfigException;
import dev.keel.app.config.ConfigLoader;
import dev.keel.app.config.KeelConfig;
import dev.keel.core.error.Severity;
import dev.keel.core.notify.NotificationChannel;
import dev.keel.notify.alert.EscalationPolicy;
import dev.keel.notify.email.EmailChannel;
import dev.keel.notify.email.EmailSettings;
import dev.keel.notify.http.SlackChannel;
import dev.keel.notify.http.SmsChannel;
import dev.keel.notify.http.WebhookChannel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notification section of the configuration, read and built into channels, routing and escalation. */
class NotifySetupTest {
    @TempDir
    Path dir;

    private static final String FOUR_CHANNELS = """
            accounts:
              - id: main
                targets: { VTI: 1.0 }
            notifications:
              dashboard: https://keel.example/dash
              runbooks: https://github.com/acme/keel/blob/main/docs/runbooks/
              channels:
                - { kind: console }
                - kind: email
                  host: smtp.example.com
                  username: keel@example.com
                  password-env: KEEL_SMTP_PASSWORD
                  from: keel@example.com
                  to: [ ops@example.com ]
                - { kind: slack, webhook-env: KEEL_SLACK_WEBHOOK }
                - { kind: webhook, url: "https://hooks.example.com/keel", secret-file: %s }
                - kind: sms
                  account-sid: AC0123
                  token-env: KEEL_TWILIO_TOKEN
                  from: "+15550001111"
                  to: [ "+15552223333" ]
            """;

    private KeelConfig load(String yaml) {
        return ConfigLoader.parse(yaml, Path.of("keel.yaml"), dir);
    }

    private KeelConfig fourChannels() throws Exception {
        Path secret = Files.writeString(dir.resolve("webhook.secret"), "whsec-abc\n");
        return load(FOUR_CHANNELS.formatted(secret));
    }

    private static final Map<String, String> ENV = Map.of("KEEL_SMTP_PASSWORD", "smtp-pw-123",
            "KEEL_SLACK_WEBHOOK", "https://hooks.slack.com/services/T/B/x", "KEEL_TWILIO_TOKEN", "tw-tok-456");

    @Test
    void allFourChannelsAreBuiltWithTheirDefaults() throws Exception {
        List<NotificationChannel> channels = NotifySetup.channels(fourChannels(), console(), Clock.systemUTC(), ENV);

        assertThat(channels).extracting(NotificationChannel::name)
                .containsExactly("console", "email", "slack", "webhook", "sms");
        EmailSettings email = ((EmailChannel) channels.get(1)).settings();
        assertThat(email.security()).isEqualTo(EmailSettings.Security.STARTTLS);
        assertThat(email.port()).isEqualTo(587);
        assertThat(email.password().reveal()).isEqualTo("smtp-pw-123");
        assertThat(channels.get(2)).isInstanceOf(SlackChannel.class);
        assertThat(channels.get(3)).isInstanceOf(WebhookChannel.class);
        assertThat(channels.get(4)).isInstanceOf(SmsChannel.class);
        assertThat(channels.get(4).minimumSeverity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void defaultRoutingAndEscalationFollowTheChannelKinds() throws Exception {
        KeelConfig config = fourChannels();

        assertThat(NotifySetup.routing(config).channelsOf(Severity.CRITICAL))
                .containsExactlyInAnyOrder("console", "email", "slack", "sms", "webhook");
        assertThat(NotifySetup.routing(config).channelsOf(Severity.HIGH))
                .containsExactlyInAnyOrder("console", "email", "slack", "webhook");
        assertThat(NotifySetup.routing(config).channelsOf(Severity.MEDIUM))
                .containsExactlyInAnyOrder("console", "slack", "webhook");
        assertThat(NotifySetup.routing(config).channelsOf(Severity.LOW)).containsExactly("console");
        EscalationPolicy policy = NotifySetup.escalation(config);
        assertThat(policy.tiersOf(Severity.HIGH)).containsExactly(
                new EscalationPolicy.Tier(Duration.ofMinutes(15), List.of("sms")));
    }

    @Test
    void configuredRoutingAndEscalationReplaceTheDefaults() {
        KeelConfig config = load("""
                accounts: [ { id: main, targets: { VTI: 1.0 } } ]
                notifications:
                  channels: [ { kind: console }, { kind: file, name: log, path: n.log } ]
                  routing: { critical: [console, log], high: [log] }
                  escalation:
                    raise-from: high
                    high: [ { after: 5m, to: [console] }, { after: 20m, to: [console, log] } ]
                """);

        assertThat(NotifySetup.routing(config).channelsOf(Severity.HIGH)).containsExactly("log");
        assertThat(NotifySetup.routing(config).channelsOf(Severity.MEDIUM)).isEmpty();
        EscalationPolicy policy = NotifySetup.escalation(config);
        assertThat(policy.raises(Severity.MEDIUM)).isFalse();
        assertThat(policy.tiersOf(Severity.HIGH)).extracting(EscalationPolicy.Tier::after)
                .containsExactly(Duration.ofMinutes(5), Duration.ofMinutes(20));
    }

    @Test
    void configuredRateLimitsReplaceTheDefaultsAndASeverityLeftOutIsNotLimited() {
        KeelConfig config = load("""
                accounts: [ { id: main, targets: { VTI: 1.0 } } ]
                notifications:
                  channels: [ { kind: console } ]
                  rate-limits: { critical: { count: 2, per: 1m } }
                """);
        dev.keel.notify.limit.RateLimits limits = NotifySetup.rateLimits(config);
        java.time.Instant now = java.time.Instant.parse("2026-03-02T15:00:00Z");
        for (int i = 0; i < 2; i++) {
            var n = new dev.keel.core.notify.Notification("c" + i, "a" + i, null, Severity.CRITICAL, "t", "b", now);
            var send = (dev.keel.core.notify.Throttle.Send) limits.decide(n, "console", now);
            limits.sent(n, "console", send, now);
        }
        var third = new dev.keel.core.notify.Notification("c2", "a2", null, Severity.CRITICAL, "t", "b", now);
        var high = new dev.keel.core.notify.Notification("h", "a0", null, Severity.HIGH, "t", "b", now);

        assertThat(limits.decide(third, "console", now)).isInstanceOf(dev.keel.core.notify.Throttle.Hold.class);
        assertThat(limits.decide(high, "console", now)).isInstanceOf(dev.keel.core.notify.Throttle.Send.class);
        assertThatThrownBy(() -> load("""
                accounts: [ { id: main, targets: { VTI: 1.0 } } ]
                notifications:
                  channels: [ { kind: console } ]
                  rate-limits: { high: { count: 0 } }
                """)).hasMessageContaining("notifications.rate-limits.high.count: ")
                .hasMessageContaining("notifications.rate-limits.high.per: is missing; expected the window, e.g. 5m");
    }

    @Test
    void missingSecretNamesFileFieldAndVariableButNoValue() throws Exception {
        KeelConfig config = fourChannels();
        Map<String, String> noSmtp = Map.of("KEEL_SLACK_WEBHOOK", "https://hooks.slack.com/services/T/B/x",
                "KEEL_TWILIO_TOKEN", "tw-tok-456");

        assertThatThrownBy(() -> NotifySetup.channels(config, console(), Clock.systemUTC(), noSmtp))
                .isInstanceOf(ConfigException.class)
                .hasMessage("keel.yaml:12: notifications.channels[1].password-env: environment variable "
                        + "KEEL_SMTP_PASSWORD is not set; expected the SMTP password");
    }

    @Test
    void literalSecretsUnknownChannelsAndMissingFieldsAreReportedTogether() {
        assertThatThrownBy(() -> load("""
                accounts: [ { id: main, targets: { VTI: 1.0 } } ]
                notifications:
                  channels:
                    - { kind: slack, webhook: "https://hooks.slack.com/services/T/B/leaked" }
                    - { kind: sms, account-sid: AC1, token: tw-leaked, to: [ "+1555" ] }
                    - { kind: email, host: smtp.example.com, from: a@b.c, to: [ ops@b.c ], securty: smtps }
                  routing: { critical: [pager] }
                """)).isInstanceOf(ConfigException.class).satisfies(e -> {
                    String m = e.getMessage();
                    assertThat(m).contains("keel.yaml:4: notifications.channels[0].webhook: literal secrets do not "
                            + "belong in a config file; give webhook-env: VARIABLE or webhook-file: PATH");
                    assertThat(m).contains("notifications.channels[1].token: literal secrets do not belong");
                    assertThat(m).contains("notifications.channels[1].from: is missing; expected the sending number");
                    assertThat(m).contains("notifications.channels[2].securty: unknown key; did you mean 'security'?");
                    assertThat(m).doesNotContain("leaked");
                });
    }

    @Test
    void routingToAChannelThatIsNotConfiguredIsRefused() {
        assertThatThrownBy(() -> load("""
                accounts: [ { id: main, targets: { VTI: 1.0 } } ]
                notifications:
                  channels: [ { kind: console } ]
                  routing: { critical: [pager] }
                """)).hasMessageContaining("notifications.routing.critical: names channel 'pager', which is not "
                + "configured; expected one of console");
    }

    @Test
    void readmeNotificationSampleLoadsAndBuildsAllFourChannels() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        Path readme = root.resolve("README.md");
        String text = Files.readString(readme);
        int at = text.indexOf("```yaml\nnotifications:\n");
        String sample = text.substring(at + "```yaml\n".length(), text.indexOf("```", at + 8))
                .replace("keel-data/", dir + "/");
        Path secret = Files.writeString(dir.resolve("webhook-secret"), "whsec-readme");
        KeelConfig config = load("accounts: [ { id: main, targets: { VTI: 1.0 } } ]\n"
                + sample.replace("/etc/keel/webhook-secret", secret.toString()));

        List<NotificationChannel> channels = NotifySetup.channels(config, console(), Clock.systemUTC(), ENV);

        assertThat(channels).extracting(NotificationChannel::name)
                .containsExactly("console", "file:" + dir.resolve("notifications.log"), "email", "slack", "webhook",
                        "sms");
        assertThat(NotifySetup.escalation(config).tiersOf(Severity.HIGH)).isEqualTo(
                EscalationPolicy.defaults(List.of("sms"), List.of("email", "slack")).tiersOf(Severity.HIGH));
    }

    private static PrintStream console() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
