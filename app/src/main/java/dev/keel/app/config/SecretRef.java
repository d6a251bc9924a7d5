package dev.keel.app.config;

import dev.keel.notify.Secret;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a channel's secret is: an environment variable or a file, never the configuration itself. It is read when
 * the channel is built ({@link #resolve}), so a command that sends nothing does not need it; a secret that cannot be
 * read is a configuration error naming the file, the field and what was expected.
 *
 * @param source  the configuration file
 * @param line    the line of the field that names it
 * @param field   the field path, e.g. {@code notifications.channels[2].password-env}
 * @param what    what the secret is, for the message ("the SMTP password")
 * @param env     the variable, or null
 * @param file    the file, or null
 */
public record SecretRef(Path source, int line, String field, String what, String env, Path file) {
    public SecretRef {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(what, "what");
        if ((env == null) == (file == null)) {
            throw new IllegalArgumentException("exactly one of env and file must be given, but was env " + env
                    + " and file " + file);
        }
    }

    /** The secret, or a {@link ConfigException} that names the variable or file but never a value. */
    public Secret resolve(Map<String, String> environment) {
        try {
            return env != null ? Secret.fromEnv(environment, env) : Secret.fromFile(file);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source, List.of(new ConfigProblem(source, line, field, e.getMessage()
                    .replace("expected the secret", "expected " + what))));
        }
    }

    @Override
    public String toString() {
        return env != null ? "env " + env : "file " + file;
    }
}
