package dev.keel.notify.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.keel.core.error.Severity;
import dev.keel.notify.Links;
import dev.keel.notify.Samples;
import dev.keel.notify.Secret;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Against GreenMail, a real SMTP server in the test's JVM, on free ports. */
class EmailChannelTest {
    private static final String PASSWORD = "pa55-w0rd-xyz";

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetup.dynamicPort(
            new ServerSetup[] {ServerSetupTest.SMTP, ServerSetupTest.SMTPS}))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("ops@keel.test", "keel", PASSWORD))
            .withPerMethodLifecycle(true);

    private static EmailSettings settings(EmailSettings.Security security, int port, String password) {
        return new EmailSettings("127.0.0.1", port, security, "keel", Secret.of(password, "test"),
                "keel@keel.test", List.of("ops@keel.test"), Duration.ofSeconds(5), "*");
    }

    @Test
    void authenticatedSmtpDeliversPlainAndHtmlAlternatives() throws Exception {
        EmailChannel channel = new EmailChannel("email", Severity.INFO,
                settings(EmailSettings.Security.NONE, MAIL.getSmtp().getPort(), PASSWORD), Links.DEFAULTS);

        channel.send(Samples.halted());

        MimeMessage[] received = MAIL.getReceivedMessages();
        assertThat(received).hasSize(1);
        MimeMessage mail = received[0];
        assertThat(mail.getSubject()).isEqualTo("[CRITICAL] Account main HALTED (was ACTIVE) - account main");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("keel@keel.test");
        assertThat(mail.getHeader("X-Keel-Notification")[0]).isEqualTo("n-1");
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        assertThat(parts.getContentType()).startsWith("multipart/alternative");
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(GreenMailUtil.getBody(parts.getBodyPart(0))).contains("Severity: CRITICAL", "Account: main",
                "What to do", "Runbook: docs/runbooks/reconciliation-mismatch.md");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat(GreenMailUtil.getBody(parts.getBodyPart(1))).contains("<h3>What happened</h3>");
    }

    @Test
    void smtpsDeliversOverTls() {
        EmailChannel channel = new EmailChannel("email", Severity.INFO,
                settings(EmailSettings.Security.SMTPS, MAIL.getSmtps().getPort(), PASSWORD), Links.DEFAULTS);

        channel.send(Samples.halted());

        assertThat(MAIL.getReceivedMessages()).hasSize(1);
    }

    @Test
    void wrongPasswordFailsWithoutSayingIt() {
        String wrong = "wr0ng-secret-123";
        EmailChannel channel = new EmailChannel("email", Severity.INFO,
                settings(EmailSettings.Security.NONE, MAIL.getSmtp().getPort(), wrong), Links.DEFAULTS);

        assertThatThrownBy(() -> channel.send(Samples.halted()))
                .hasMessageContaining("email channel 'email' could not send through 127.0.0.1:")
                .hasMessageContaining("AuthenticationFailedException")
                .hasMessageNotContaining(wrong).hasMessageNotContaining(PASSWORD);
        assertThat(MAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void starttlsRequiredIsRefusedByAServerThatCannotUpgrade() {
        // GreenMail offers no STARTTLS: a channel that requires it must fail rather than send in clear text.
        EmailChannel channel = new EmailChannel("email", Severity.INFO,
                settings(EmailSettings.Security.STARTTLS, MAIL.getSmtp().getPort(), PASSWORD), Links.DEFAULTS);

        assertThatThrownBy(() -> channel.send(Samples.halted())).hasMessageContaining("could not send");
        assertThat(MAIL.getReceivedMessages()).isEmpty();
    }
}
