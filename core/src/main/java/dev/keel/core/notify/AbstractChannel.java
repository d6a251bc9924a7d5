package dev.keel.core.notify;

import dev.keel.core.error.Severity;
import java.util.Objects;

/** A channel's name and minimum severity, for channels to extend. */
public abstract class AbstractChannel implements NotificationChannel {
    private final String name;
    private final Severity minimumSeverity;

    protected AbstractChannel(String name, Severity minimumSeverity) {
        this.name = Objects.requireNonNull(name, "name");
        this.minimumSeverity = Objects.requireNonNull(minimumSeverity, "minimumSeverity");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a channel name must not be blank, but was '" + name + "'");
        }
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Severity minimumSeverity() {
        return minimumSeverity;
    }
}
