package dev.keel.paper.server;

import dev.keel.core.broker.BrokerException;
import dev.keel.paper.PaperExchange;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PaperExchange} served over HTTP in the shape of Alpaca's Trading API v2 (account, positions, orders,
 * clock), its market data API (latest quotes, daily bars) and its {@code trade_updates} stream, so that any Alpaca
 * client, Keel's adapter included, can trade on it with only its base URL changed. Requests carry
 * {@code APCA-API-KEY-ID} and {@code APCA-API-SECRET-KEY}; the {@link KeyRing} says which account each key trades.
 * The exchange's fault plan acts at the HTTP layer: refusals, 429 and 5xx become Alpaca's answers, timeouts and
 * resets a held or dropped connection. The server does not own the exchange: close both.
 */
public final class PaperServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PaperServer.class);

    private final Javalin app;
    private final TradeStream stream;
    private final ScheduledExecutorService poller;
    private final String host;

    private PaperServer(Javalin app, TradeStream stream, ScheduledExecutorService poller, String host) {
        this.app = app;
        this.stream = stream;
        this.poller = poller;
        this.host = host;
    }

    /** Starts serving {@code exchange}; the clock is the exchange's, for rate-limit windows and stream times. */
    public static PaperServer start(PaperExchange exchange, ServerSettings settings, Clock clock) {
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Replacements replacements = new Replacements();
        TradingApi trading = new TradingApi(exchange, replacements, clock);
        MarketDataApi data = new MarketDataApi(exchange, clock);
        TradeStream stream = new TradeStream(exchange, settings.keys(), replacements, clock, settings.binaryFrames());
        RateLimiter limiter = new RateLimiter(settings.rateLimit(), settings.rateWindow(), clock);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.routes.before("/v2/*", ctx -> gate(ctx, settings.keys(), limiter));
            config.routes.after("/v2/*", ctx -> publish(stream));
            config.routes.get("/v2/account", trading::getAccount);
            config.routes.get("/v2/clock", trading::clock);
            config.routes.get("/v2/positions", trading::positions);
            config.routes.get("/v2/positions/{symbol}", trading::position);
            config.routes.post("/v2/orders", trading::submit);
            config.routes.get("/v2/orders", trading::list);
            config.routes.delete("/v2/orders", trading::cancelAll);
            config.routes.get("/v2/orders:by_client_order_id", trading::byClientOrderId);
            config.routes.get("/v2/orders/{order_id}", trading::get);
            config.routes.delete("/v2/orders/{order_id}", trading::cancel);
            config.routes.patch("/v2/orders/{order_id}", trading::replace);
            config.routes.get("/v2/stocks/quotes/latest", data::latestQuotes);
            config.routes.get("/v2/stocks/{symbol}/quotes/latest", data::latestQuote);
            config.routes.get("/v2/stocks/{symbol}/bars", data::bars);
            config.routes.ws("/stream", stream::configure);
            config.routes.exception(ApiError.Failure.class, (e, ctx) -> answer(ctx, e.error()));
            config.routes.exception(BrokerException.class, (e, ctx) -> brokerFailure(ctx, e, settings));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("paper server: {} {} failed", ctx.method(), ctx.path(), e);
                answer(ctx, new ApiError(500, ApiError.SERVER_ERROR, "internal server error occurred", null));
            });
            config.routes.error(404, "*", ctx -> {
                if (ctx.result() == null || !ctx.result().startsWith("{")) {
                    answer(ctx, ApiError.notFound("endpoint not found"));
                }
            });
        });
        app.start();
        ScheduledExecutorService poller = null;
        if (!settings.streamPoll().isZero()) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "paper-server-stream");
                t.setDaemon(true);
                return t;
            });
            long every = settings.streamPoll().toMillis();
            poller.scheduleWithFixedDelay(() -> publish(stream), every, every, TimeUnit.MILLISECONDS);
        }
        return new PaperServer(app, stream, poller, settings.host());
    }

    /** Auth first, then the key's request budget; both answer in Alpaca's shape. */
    private static void gate(Context ctx, KeyRing keys, RateLimiter limiter) {
        String keyId = ctx.header("APCA-API-KEY-ID");
        RateLimiter.Verdict budget = limiter.take(keyId == null ? "anonymous:" + ctx.ip() : keyId);
        ctx.header("X-RateLimit-Limit", Integer.toString(budget.limit()));
        ctx.header("X-RateLimit-Remaining", Integer.toString(budget.remaining()));
        ctx.header("X-RateLimit-Reset", Long.toString(budget.resetEpochSeconds()));
        String account = keys.account(keyId, ctx.header("APCA-API-SECRET-KEY")).orElse(null);
        if (account == null) {
            throw new ApiError(401, ApiError.UNAUTHORIZED, "request is not authorized", null).failure();
        }
        if (!budget.allowed()) {
            java.time.Duration wait = java.time.Duration.ofSeconds(Math.max(0,
                    budget.resetEpochSeconds() - limiter.now().getEpochSecond()));
            throw new ApiError(429, ApiError.RATE_LIMITED, "rate limit exceeded", wait).failure();
        }
        ctx.attribute(TradingApi.ACCOUNT, account);
    }

    private static void brokerFailure(Context ctx, BrokerException e, ServerSettings settings) {
        String fault = Answers.transportFault(e);
        if (fault == null) {
            ApiError error = Answers.of(e);
            String injected = e.context().details().get("fault");
            if (injected != null) {
                LOG.info("paper server: injected {} on {} {}: answered {} {}", injected, ctx.method(), ctx.path(),
                        error.status(), error.code());
            }
            answer(ctx, error);
            return;
        }
        LOG.info("paper server: injected {} on {} {}", fault, ctx.method(), ctx.path());
        if (fault.equals("timeout-before-accept")) {
            Answers.holdThenDrop(ctx, settings.holdFor());
        } else {
            Answers.drop(ctx);
        }
    }

    private static void answer(Context ctx, ApiError error) {
        if (error.retryAfter() != null) {
            ctx.header("Retry-After", Long.toString(Math.max(0, error.retryAfter().toSeconds())));
        }
        TradingApi.json(ctx, error.status(), AlpacaJson.error(error));
    }

    private static void publish(TradeStream stream) {
        try {
            stream.publish();
        } catch (RuntimeException e) {
            TradeStream.logFailure(e);
        }
    }

    /** The port it listens on (the one picked when the settings said 0). */
    public int port() {
        return app.port();
    }

    /** The base URL of the Trading and market data APIs: {@code http://127.0.0.1:8089}. */
    public URI url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + port());
    }

    /** The trade_updates stream's URL: {@code ws://127.0.0.1:8089/stream}. */
    public URI streamUrl() {
        return URI.create(url().toString().replaceFirst("^http", "ws") + "/stream");
    }

    /** Cuts every trade_updates connection without a close handshake: the dropped-stream fault. */
    public void dropStreams() {
        stream.dropAll();
    }

    /** Looks for order events now instead of waiting for the next request or poll. */
    public void publishUpdates() {
        stream.publish();
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
        app.stop();
    }
}
