package dev.keel.alpaca;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how the adapter talks to Alpaca. Immutable; build with {@link #builder(URI)}.
 */
public final class AlpacaSettings {
    /** Alpaca's paper trading endpoint. */
    public static final URI PAPER = URI.create("https://paper-api.alpaca.markets");
    /** Alpaca's live trading endpoint: real money. */
    public static final URI LIVE = URI.create("https://api.alpaca.markets");
    /** Alpaca's market data endpoint. */
    public static final URI DATA = URI.create("https://data.alpaca.markets");
    /** The default market data feed: {@code iex}, the one free accounts may read. */
    public static final String DEFAULT_FEED = "iex";
    /** The default timeout of one request: 10 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** The default longest wait for Alpaca's rate-limit window to reset before a request: 10 s. */
    public static final Duration DEFAULT_MAX_PACING_WAIT = Duration.ofSeconds(10);

    private final URI tradingUrl;
    private final URI dataUrl;
    private final URI streamUrl;
    private final String feed;
    private final Duration timeout;
    private final Duration maxPacingWait;

    private AlpacaSettings(Builder b) {
        this.tradingUrl = b.tradingUrl;
        this.dataUrl = b.dataUrl;
        this.streamUrl = b.streamUrl != null ? b.streamUrl : streamOf(b.tradingUrl);
        this.feed = b.feed;
        this.timeout = b.timeout;
        this.maxPacingWait = b.maxPacingWait;
    }

    /** Settings for the trading API at {@code tradingUrl}, e.g. {@link #PAPER}. */
    public static Builder builder(URI tradingUrl) {
        return new Builder(tradingUrl);
    }

    /** The trading API's base URL, without a trailing slash. */
    public URI tradingUrl() {
        return tradingUrl;
    }

    /** The market data API's base URL. */
    public URI dataUrl() {
        return dataUrl;
    }

    /** The {@code trade_updates} stream's URL: the trading URL's host, {@code ws(s)://.../stream}. */
    public URI streamUrl() {
        return streamUrl;
    }

    public String feed() {
        return feed;
    }

    public Duration timeout() {
        return timeout;
    }

    /** How long a request may wait for Alpaca's rate-limit window to reset before it is refused unsent. */
    public Duration maxPacingWait() {
        return maxPacingWait;
    }

    /** Whether the trading URL is Alpaca's live (real money) endpoint. */
    public boolean live() {
        return tradingUrl.equals(LIVE);
    }

    private static URI streamOf(URI trading) {
        String scheme = "https".equals(trading.getScheme()) ? "wss" : "ws";
        return URI.create(scheme + "://" + trading.getRawAuthority() + trimmed(trading.getRawPath()) + "/stream");
    }

    private static String trimmed(String path) {
        if (path == null) {
            return "";
        }
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    static URI base(URI url, String name) {
        Objects.requireNonNull(url, name);
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new IllegalArgumentException(name + " must be an http(s) URL with a host, but was " + url);
        }
        return URI.create(scheme + "://" + url.getRawAuthority() + trimmed(url.getRawPath()));
    }

    @Override
    public String toString() {
        return "AlpacaSettings[trading=" + tradingUrl + ", data=" + dataUrl + ", stream=" + streamUrl + ", feed="
                + feed + ", timeout=" + timeout + "]";
    }

    /** Builds {@link AlpacaSettings}; every check names the bound and the value. */
    public static final class Builder {
        private final URI tradingUrl;
        private URI dataUrl = DATA;
        private URI streamUrl;
        private String feed = DEFAULT_FEED;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration maxPacingWait = DEFAULT_MAX_PACING_WAIT;

        private Builder(URI tradingUrl) {
            this.tradingUrl = base(tradingUrl, "tradingUrl");
        }

        public Builder dataUrl(URI value) {
            this.dataUrl = base(value, "dataUrl");
            return this;
        }

        /** Overrides the stream URL derived from the trading URL (a {@code ws} or {@code wss} URL). */
        public Builder streamUrl(URI value) {
            String scheme = value.getScheme();
            if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
                throw new IllegalArgumentException("streamUrl must be a ws(s) URL, but was " + value);
            }
            this.streamUrl = value;
            return this;
        }

        public Builder feed(String value) {
            if (value == null || !value.matches("[a-z_]{1,16}")) {
                throw new IllegalArgumentException("feed must be a feed name such as iex or sip, but was " + value);
            }
            this.feed = value;
            return this;
        }

        public Builder timeout(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, but was " + value);
            }
            this.timeout = value;
            return this;
        }

        public Builder maxPacingWait(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("maxPacingWait must not be negative, but was " + value);
            }
            this.maxPacingWait = value;
            return this;
        }

        public AlpacaSettings build() {
            return new AlpacaSettings(this);
        }
    }
}
