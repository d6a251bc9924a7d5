package dev.keel.app.config;

import dev.keel.core.error.Severity;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A notification channel of the outbox.
 *
 * @param kind        console or file
 * @param path        the file a {@link Kind#FILE} channel appends to (absolute); null for the console
 * @param minSeverity the least urgent severity delivered; default {@link Severity#INFO}, i.e. everything
 */
public record ChannelConfig(Kind kind, Path path, Severity minSeverity) {

    /** Where notifications go. */
    public enum Kind implements WireName {
        CONSOLE, FILE
    }

    public ChannelConfig {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(minSeverity, "minSeverity");
        if ((kind == Kind.FILE) != (path != null)) {
            throw new IllegalArgumentException("path must be given exactly for kind file, but kind was " + kind.wire()
                    + " and path " + path);
        }
    }

    public static ChannelConfig console() {
        return new ChannelConfig(Kind.CONSOLE, null, Severity.INFO);
    }
}
