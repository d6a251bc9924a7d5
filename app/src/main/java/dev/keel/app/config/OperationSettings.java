package dev.keel.app.config;

import dev.keel.core.execution.ExecutionSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * How order operations behave.
 *
 * @param protectionGrace how long a bracket's filled position may wait for its protective orders, counted from when
 *                        Keel saw the fill; a protective order still not working by then is given up, and the
 *                        bracket closes the position
 */
public record OperationSettings(Duration protectionGrace) {
    /** The defaults: a protection grace of 30 s. */
    public static final OperationSettings DEFAULTS = new OperationSettings(ExecutionSettings.DEFAULT_PROTECTION_GRACE);

    public OperationSettings {
        Objects.requireNonNull(protectionGrace, "protectionGrace");
        if (protectionGrace.isNegative() || protectionGrace.isZero()) {
            throw new IllegalArgumentException("protectionGrace must be positive, but was " + protectionGrace);
        }
    }
}
