package dev.keel.notify.email;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import dev.keel.core.error.Severity;
import dev.keel.core.notify.AbstractChannel;
import dev.keel.core.notify.Notification;
import dev.keel.notify.Links;
import dev.keel.notify.NoticeText;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;

/**
 * Sends each notification as one mail (plain text and HTML alternatives) through SMTP with Eclipse Angus Mail:
 * STARTTLS or SMTPS, with authentication when a username is configured. A failure throws without the password or
 * the server's reply text that could echo it.
 */
public final class EmailChannel extends AbstractChannel {
    private final EmailSettings settings;
    private final Links links;
    private final Session session;

    public EmailChannel(String name, Severity minimumSeverity, EmailSettings settings, Links links) {
        super(name, minimumSeverity);
        this.settings = settings;
        this.links = links;
        this.session = Session.getInstance(properties(settings));
    }

    static Properties properties(EmailSettings s) {
        Properties p = new Properties();
        String protocol = s.security() == EmailSettings.Security.SMTPS ? "smtps" : "smtp";
        String prefix = "mail." + protocol + ".";
        p.put("mail.transport.protocol", protocol);
        p.put(prefix + "host", s.host());
        p.put(prefix + "port", Integer.toString(s.port()));
        p.put(prefix + "auth", Boolean.toString(s.username() != null));
        String millis = Long.toString(s.timeout().toMillis());
        p.put(prefix + "connectiontimeout", millis);
        p.put(prefix + "timeout", millis);
        p.put(prefix + "writetimeout", millis);
        if (s.security() == EmailSettings.Security.STARTTLS) {
            p.put(prefix + "starttls.enable", "true");
            p.put(prefix + "starttls.required", "true");
        }
        if (s.security() == EmailSettings.Security.SMTPS) {
            p.put(prefix + "ssl.enable", "true");
        }
        if (s.security() != EmailSettings.Security.NONE) {
            p.put(prefix + "ssl.checkserveridentity", Boolean.toString(s.sslTrust() == null));
            if (s.sslTrust() != null) {
                p.put(prefix + "ssl.trust", s.sslTrust());
            }
        }
        return p;
    }

    public EmailSettings settings() {
        return settings;
    }

    @Override
    public void send(Notification notification) {
        NoticeText text = new NoticeText(notification, links);
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(settings.from()));
            for (String to : settings.to()) {
                message.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
            }
            message.setSubject(text.subject(), StandardCharsets.UTF_8.name());
            message.setSentDate(Date.from(notification.at()));
            message.setHeader("X-Keel-Notification", notification.id());
            MimeBodyPart plain = new MimeBodyPart();
            plain.setText(text.plain(), StandardCharsets.UTF_8.name(), "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(text.html(), StandardCharsets.UTF_8.name(), "html");
            message.setContent(new MimeMultipart("alternative", plain, html));
            String protocol = settings.security() == EmailSettings.Security.SMTPS ? "smtps" : "smtp";
            try (Transport transport = session.getTransport(protocol)) {
                if (settings.username() != null) {
                    transport.connect(settings.host(), settings.port(), settings.username(),
                            settings.password().reveal());
                } else {
                    transport.connect();
                }
                message.saveChanges();
                transport.sendMessage(message, message.getAllRecipients());
            }
        } catch (MessagingException e) {
            // The server's reply is useful ("535 authentication failed") but could quote what was sent: the password is
            // masked out of it, and the exception (whose cause chain is not redacted) is not attached.
            String reply = e.getMessage() == null ? "" : ": " + e.getMessage().strip();
            if (settings.password() != null) {
                reply = settings.password().redact(reply);
            }
            throw new KeelException(ErrorCode.NOTIFICATION_FAILED, "email channel '" + name() + "' could not send"
                    + " through " + settings.host() + ":" + settings.port() + " (" + settings.security()
                    + "): " + e.getClass().getSimpleName() + rootKind(e) + reply, ErrorContext.NONE, null);
        }
    }

    private static String rootKind(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? "" : " caused by " + root.getClass().getSimpleName();
    }
}
