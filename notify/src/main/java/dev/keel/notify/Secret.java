package dev.keel.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A channel credential (SMTP password, webhook secret, Slack URL, Twilio token) read from the environment or a file,
 * never from the configuration file itself. It never prints: {@link #toString()} is a mask, and {@link #redact}
 * removes the value from any text (an exception's message) before that text reaches a log or the journal.
 */
public final class Secret {
    private static final String MASK = "****";

    private final String value;
    private final String source;

    private Secret(String value, String source) {
        this.value = value;
        this.source = source;
    }

    /** A secret read from environment variable {@code name} of {@code env}; throws naming the variable when unset. */
    public static Secret fromEnv(Map<String, String> env, String name) {
        String value = env.get(Objects.requireNonNull(name, "name"));
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("environment variable " + name + " is not set; expected the secret");
        }
        return new Secret(value.strip(), "environment variable " + name);
    }

    /** A secret read from {@code file} (its whole content, stripped); throws naming the file when unreadable. */
    public static Secret fromFile(Path file) {
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new IllegalArgumentException("secret file " + file + " is empty; expected the secret");
            }
            return new Secret(value, "file " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("secret file " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + "); expected a readable file holding the secret", e);
        }
    }

    /** A secret given directly, for tests and for callers that read it themselves. */
    public static Secret of(String value, String source) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a secret must not be empty, but " + source + " was");
        }
        return new Secret(value, source);
    }

    /** The value, only for the call that uses it. */
    public String reveal() {
        return value;
    }

    /** Where it came from ("environment variable KEEL_SMTP_PASSWORD"), safe to print. */
    public String source() {
        return source;
    }

    /** {@code text} with every occurrence of the value masked; null stays null. */
    public String redact(String text) {
        return text == null ? null : text.replace(value, MASK);
    }

    @Override
    public String toString() {
        return "Secret[" + source + "]";
    }
}
