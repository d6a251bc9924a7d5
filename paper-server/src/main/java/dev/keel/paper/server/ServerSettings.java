package dev.keel.paper.server;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link PaperServer} listens and behaves; immutable, built by {@link #builder(KeyRing)}.
 *
 * @param host        the address to bind; {@value #DEFAULT_HOST} unless told
 * @param port        the port; 0 picks a free one
 * @param keys        the API keys accepted and the accounts they trade
 * @param rateLimit   requests per key per {@code rateWindow}; Alpaca's 200 a minute by default
 * @param rateWindow  the rate limit's window
 * @param holdFor     how long an answer lost to a {@code timeout-before-accept} fault is held before the connection
 *                    is dropped: longer than any client's timeout, so the client gives up first
 * @param streamPoll  how often the trade_updates stream looks for changes that no request caused (fills of resting
 *                    orders as prices move, day orders expiring); every request looks too
 * @param binaryFrames whether stream messages go out as binary frames, as Alpaca's paper stream sends them; text
 *                    frames otherwise
 */
public record ServerSettings(String host, int port, KeyRing keys, int rateLimit, Duration rateWindow, Duration holdFor,
                             Duration streamPoll, boolean binaryFrames) {
    /** The default bind address: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The default port of {@code keel paper serve}. */
    public static final int DEFAULT_PORT = 8089;
    /** Alpaca's budget: 200 requests a minute per key. */
    public static final int DEFAULT_RATE_LIMIT = 200;

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(rateWindow, "rateWindow");
        Objects.requireNonNull(holdFor, "holdFor");
        Objects.requireNonNull(streamPoll, "streamPoll");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, but was " + port);
        }
        if (rateLimit < 1) {
            throw new IllegalArgumentException("rateLimit must be at least 1, but was " + rateLimit);
        }
        if (!rateWindow.isPositive()) {
            throw new IllegalArgumentException("rateWindow must be positive, but was " + rateWindow);
        }
        if (!holdFor.isPositive()) {
            throw new IllegalArgumentException("holdFor must be positive, but was " + holdFor);
        }
        if (streamPoll.isNegative()) {
            throw new IllegalArgumentException("streamPoll must be at least 0 (0: requests only), but was "
                    + streamPoll);
        }
    }

    public static Builder builder(KeyRing keys) {
        return new Builder(keys);
    }

    /** Defaults: 127.0.0.1:8089, 200 requests a minute, answers held 60 s, the stream polled every 200 ms. */
    public static final class Builder {
        private final KeyRing keys;
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private int rateLimit = DEFAULT_RATE_LIMIT;
        private Duration rateWindow = Duration.ofMinutes(1);
        private Duration holdFor = Duration.ofSeconds(60);
        private Duration streamPoll = Duration.ofMillis(200);
        private boolean binaryFrames = true;

        private Builder(KeyRing keys) {
            this.keys = keys;
        }

        public Builder host(String value) {
            this.host = value;
            return this;
        }

        public Builder port(int value) {
            this.port = value;
            return this;
        }

        public Builder rateLimit(int requests, Duration window) {
            this.rateLimit = requests;
            this.rateWindow = window;
            return this;
        }

        public Builder holdFor(Duration value) {
            this.holdFor = value;
            return this;
        }

        public Builder streamPoll(Duration value) {
            this.streamPoll = value;
            return this;
        }

        public Builder binaryFrames(boolean value) {
            this.binaryFrames = value;
            return this;
        }

        public ServerSettings build() {
            return new ServerSettings(host, port, keys, rateLimit, rateWindow, holdFor, streamPoll, binaryFrames);
        }
    }
}
