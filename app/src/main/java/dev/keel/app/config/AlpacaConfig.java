package dev.keel.app.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code broker.alpaca} section: where Alpaca is and how to reach it. The keys are not here: they come from
 * {@code APCA_API_KEY_ID} and {@code APCA_API_SECRET_KEY} in the environment, or from {@code keyFile}.
 *
 * @param endpoint the trading API: Alpaca's paper or live endpoint, or any URL (a {@code keel paper serve})
 * @param live     whether the configuration means to trade real money; required for the live endpoint
 * @param dataUrl  the market data API
 * @param feed     the market data feed, {@code iex} by default
 * @param timeout  one request's timeout
 * @param keyFile  a file of {@code APCA_API_KEY_ID=...} and {@code APCA_API_SECRET_KEY=...} lines outside the
 *                 repository; null to read the environment
 */
public record AlpacaConfig(URI endpoint, boolean live, URI dataUrl, String feed, Duration timeout, Path keyFile,
                           java.util.Map<String, Path> keyFiles) {
    public AlpacaConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(dataUrl, "dataUrl");
        Objects.requireNonNull(feed, "feed");
        Objects.requireNonNull(timeout, "timeout");
        keyFiles = keyFiles == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(keyFiles));
    }

    /** One key pair for the configuration's one account (the file, or the environment when null). */
    public AlpacaConfig(URI endpoint, boolean live, URI dataUrl, String feed, Duration timeout, Path keyFile) {
        this(endpoint, live, dataUrl, feed, timeout, keyFile, java.util.Map.of());
    }
}
