package dev.keel.app.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * How {@code keel serve} runs: where its API listens, where its token is, and what its scheduler does besides the
 * accounts' own {@code schedule}s.
 *
 * @param bind           the address the API binds to; 127.0.0.1 unless the operator opens it
 * @param port           the API's port; 0 picks a free one
 * @param tokenFile      a file holding the API's bearer token (outside the repository), or null: then the
 *                       environment's {@code KEEL_API_TOKEN}, else a token generated at start into the data directory
 * @param zone           the exchange's time zone, in which the accounts' schedules are read
 * @param watchEvery     how often the protection watch passes over every account; null: never
 * @param reconcileEvery how often every account is reconciled; null: never
 * @param outboxEvery    how often undelivered notifications are retried
 * @param maxBody        the largest request body the API reads, in bytes
 */
public record ServeSettings(String bind, int port, Path tokenFile, ZoneId zone, Duration watchEvery,
                            Duration reconcileEvery, Duration outboxEvery, long maxBody) {
    /** The default port: 8090. */
    public static final int DEFAULT_PORT = 8090;
    /** The exchange's time zone when the file names none: America/New_York. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("America/New_York");
    public static final ServeSettings DEFAULTS = new ServeSettings("127.0.0.1", DEFAULT_PORT, null, DEFAULT_ZONE,
            Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofSeconds(30), 64 * 1024);

    public ServeSettings {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(outboxEvery, "outboxEvery");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, but was " + port);
        }
        if (maxBody < 1) {
            throw new IllegalArgumentException("maxBody must be at least 1, but was " + maxBody);
        }
    }

    /** The same settings listening on {@code newPort} at {@code newBind}, as the command line overrides them. */
    public ServeSettings listening(String newBind, int newPort) {
        return new ServeSettings(newBind, newPort, tokenFile, zone, watchEvery, reconcileEvery, outboxEvery, maxBody);
    }
}
