package dev.keel.app.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An account's {@code allocation} section: its targets come from an allocation service instead of the file.
 *
 * @param url            {@code http://} or {@code https://}, answered with the allocation JSON (see app/README.md)
 * @param timeout        how long one request may take, connection included, greater than 0
 * @param symbols        the symbols an answer may name (upper case, file order); empty allows every valid symbol
 * @param retry          retries while the service is unavailable (keys and defaults as the top-level {@code retry})
 * @param circuitBreaker the breaker in front of the service (keys and defaults as the top-level one)
 */
public record AllocationSettings(URI url, Duration timeout, List<String> symbols, RetrySettings retry,
                                 BreakerSettings circuitBreaker) {
    /** The default timeout of one request: 2 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public AllocationSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(circuitBreaker, "circuitBreaker");
        symbols = List.copyOf(symbols);
    }
}
