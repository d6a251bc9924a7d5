package dev.keel.notify.email;

import dev.keel.notify.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the e-mail channel reaches its SMTP server.
 *
 * @param host     the SMTP server
 * @param port     its port (587 for STARTTLS, 465 for SMTPS, 25 for plain)
 * @param security how the connection is protected
 * @param username the login, or null for a server without authentication
 * @param password the password (from the environment or a file), with {@code username}, else null
 * @param from     the sender address
 * @param to       the recipients, at least one
 * @param timeout  the bound on connecting, reading and writing
 * @param sslTrust the hosts whose certificate is trusted without a CA chain ("*" for any), or null for the JDK's
 *                 trust store: for a server with a self-signed certificate
 */
public record EmailSettings(String host, int port, Security security, String username, Secret password,
                            String from, List<String> to, Duration timeout, String sslTrust) {
    /** The default bound on SMTP connect, read and write: 10 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** How the SMTP connection is protected. */
    public enum Security {
        /** Plain SMTP: only for a relay on the same host. */
        NONE,
        /** Plain connection upgraded by STARTTLS, required (port 587). */
        STARTTLS,
        /** TLS from the first byte (port 465). */
        SMTPS
    }

    public EmailSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(timeout, "timeout");
        to = List.copyOf(to);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, but was " + port);
        }
        if (to.isEmpty()) {
            throw new IllegalArgumentException("to must name at least one recipient, but was empty");
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("username and password go together, but only "
                    + (username == null ? "password" : "username") + " was given");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, but was " + timeout);
        }
    }
}
