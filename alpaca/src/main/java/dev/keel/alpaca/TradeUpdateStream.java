package dev.keel.alpaca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.OrderQuery;
import dev.keel.core.model.BrokerOrder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alpaca's {@code trade_updates} WebSocket ({@code java.net.http.WebSocket}): authenticates, listens, and hands each
 * order update to a listener. When the connection drops it reconnects with exponential backoff and jitter, and once
 * listening again it backfills the gap by listing orders ({@code GET /v2/orders?status=all&after=T&direction=asc})
 * created since the earlier of the last update seen and the oldest order still live then, so no fill is lost across
 * a disconnect. On the first connect it reads the open orders instead.
 *
 * <p>Text and binary frames are both read (Alpaca's paper endpoint sends binary). Waits run on the given scheduler,
 * never by sleeping a thread.
 *
 * <p>A connection cut without a close handshake (a proxy's idle timeout, a dropped network, the paper server's
 * {@code stream-drop} fault) is noticed by the JDK's client only when it next writes; a stream that only listens
 * would never notice it and miss every update from then on. So the stream pings every {@code heartbeat}, and a ping
 * that fails, or that is still unanswered at the next beat, ends the connection: reconnect and backfill follow. A
 * connection that answers pings but has not said it is listening by its second beat is ended the same way: an open
 * socket that never listens would otherwise look alive for good and deliver nothing.
 *
 * <p>The JDK's WebSocket allows one send at a time and fails a second one while the first is outstanding, with a
 * future nobody would look at. So each connection's sends (auth, listen, pings, close) wait for the one before, and
 * a send that fails ends the connection.
 */
public final class TradeUpdateStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TradeUpdateStream.class);
    /** Alpaca's {@code after} is strict and may be coarser than Keel's clock: the backfill reaches this far back. */
    static final Duration BACKFILL_MARGIN = Duration.ofSeconds(1);

    /** Where the stream stands. */
    public enum State { CONNECTING, AUTHENTICATING, LISTENING, UNAUTHORIZED, DOWN, CLOSED }

    private final AlpacaBroker broker;
    private final AlpacaKeys keys;
    private final URI url;
    private final TradeUpdateListener listener;
    private final ScheduledExecutorService scheduler;
    private final RandomGenerator random;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration heartbeat;
    private final HttpClient client;
    private final Duration connectTimeout;

    private State state = State.DOWN;
    private WebSocket socket;
    private int failures;
    private Instant lastSeen;
    private boolean closed;
    /** Creation time of each order last reported live, by Alpaca's id: a backfill reaches back to the oldest. */
    private final Map<String, Instant> live = new HashMap<>();
    private long connections;

    TradeUpdateStream(AlpacaBroker broker, AlpacaKeys keys, URI url, TradeUpdateListener listener,
                      ScheduledExecutorService scheduler, RandomGenerator random, Duration initialBackoff,
                      Duration maxBackoff, Duration connectTimeout, Duration heartbeat) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.url = Objects.requireNonNull(url, "url");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = Objects.requireNonNull(random, "random");
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must be positive and maxBackoff at least initialBackoff, but"
                    + " were " + initialBackoff + " and " + maxBackoff);
        }
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("heartbeat must be positive, but was " + heartbeat);
        }
        this.heartbeat = heartbeat;
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        this.connectTimeout = connectTimeout;
    }

    /** Connects; from here on the stream keeps itself connected until {@link #close()}. */
    public void start() {
        scheduler.execute(this::connect);
    }

    public synchronized State state() {
        return state;
    }

    /** When the last update seen happened at Alpaca; null before any. */
    public synchronized Instant lastSeen() {
        return lastSeen;
    }

    /** How many times the stream reached LISTENING. */
    public synchronized long connections() {
        return connections;
    }

    @Override
    public void close() {
        WebSocket s;
        synchronized (this) {
            closed = true;
            state = State.CLOSED;
            s = socket;
        }
        if (s != null) {
            s.abort();
        }
        client.close();
    }

    private void connect() {
        synchronized (this) {
            if (closed) {
                return;
            }
            state = State.CONNECTING;
        }
        // The timeout covers the opening handshake too: the client's own covers the TCP connect alone, and a server
        // that accepts and never answers the upgrade left the stream CONNECTING for good, with no heartbeat to notice.
        client.newWebSocketBuilder().connectTimeout(connectTimeout).buildAsync(url, new Frames())
                .whenComplete((ws, failure) -> {
                    if (failure != null) {
                        down("connect failed: " + failure.getClass().getSimpleName());
                    }
                });
    }

    private void down(String why) {
        Duration wait;
        synchronized (this) {
            socket = null;
            if (closed) {
                return;
            }
            if (state != State.UNAUTHORIZED) {
                state = State.DOWN;
            }
            failures++;
            wait = backoff(failures);
        }
        LOG.warn("alpaca trade_updates stream down ({}); reconnecting in {}", why, wait);
        scheduler.schedule(this::connect, wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Exponential from {@code initialBackoff}, capped, with up to a quarter of jitter off (seeded). */
    Duration backoff(int failed) {
        long base = initialBackoff.toNanos() << Math.min(failed - 1, 30);
        long capped = Math.min(base <= 0 ? Long.MAX_VALUE : base, maxBackoff.toNanos());
        long jitter = (long) (capped * 0.25 * random.nextDouble());
        return Duration.ofNanos(capped - jitter);
    }

    private void onMessage(Frames frames, WebSocket ws, String text) {
        JsonNode message;
        try {
            message = AlpacaJson.tree(text);
        } catch (AlpacaJson.Unreadable e) {
            LOG.warn("alpaca trade_updates sent a message Keel cannot read ({}): {}", e.getMessage(),
                    AlpacaErrors.raw(text, keys));
            return;
        }
        String stream = message.path("stream").asText("");
        JsonNode data = message.path("data");
        switch (stream) {
            case "authorization" -> {
                if ("authorized".equals(data.path("status").asText())) {
                    synchronized (this) {
                        state = State.AUTHENTICATING;
                    }
                    ObjectNode listen = AlpacaJson.MAPPER.createObjectNode().put("action", "listen");
                    listen.putObject("data").putArray("streams").add("trade_updates");
                    frames.send(ws, "listen", w -> w.sendText(listen.toString(), true));
                } else {
                    synchronized (this) {
                        state = State.UNAUTHORIZED;
                    }
                    LOG.error("alpaca trade_updates refused the keys (status {}); polling goes on",
                            data.path("status").asText());
                    frames.send(ws, "close", w -> w.sendClose(WebSocket.NORMAL_CLOSURE, "unauthorized"));
                }
            }
            case "listening" -> {
                boolean listening = false;
                for (JsonNode s : data.path("streams")) {
                    listening |= "trade_updates".equals(s.asText());
                }
                if (listening) {
                    // The gap is fixed now, before this connection's first update: frames are read one at a time.
                    Instant since;
                    synchronized (this) {
                        state = State.LISTENING;
                        failures = 0;
                        connections++;
                        since = gapStart();
                    }
                    LOG.info("alpaca trade_updates stream listening (connection {}); backfilling {}", connections(),
                            since == null ? "the open orders" : "orders since " + since);
                    scheduler.execute(() -> backfill(since));
                }
            }
            case "trade_updates" -> update(data, text);
            default -> LOG.debug("alpaca trade_updates: ignoring stream '{}'", stream);
        }
    }

    private void update(JsonNode data, String text) {
        BrokerOrder order;
        try {
            order = broker.view(AlpacaJson.order(data.path("order")));
        } catch (AlpacaJson.Unreadable e) {
            // Not swallowed silently: logged raw; polling, the source of truth, still sees the order.
            LOG.warn("alpaca trade_updates sent an order Keel cannot read ({}): {}", e.getMessage(),
                    AlpacaErrors.raw(text, keys));
            return;
        }
        Instant at;
        try {
            at = AlpacaJson.instant(data, "timestamp", false);
        } catch (AlpacaJson.Unreadable e) {
            at = null;
        }
        deliver(new TradeUpdate(data.path("event").asText("unknown"), order, at != null ? at : order.updatedAt(),
                TradeUpdate.Source.STREAM));
    }

    private void deliver(TradeUpdate update) {
        synchronized (this) {
            BrokerOrder o = update.order();
            if (o.state().isLive() && o.createdAt() != null) {
                live.put(o.brokerOrderId(), o.createdAt());
            } else {
                live.remove(o.brokerOrderId());
            }
            if (update.at() != null && (lastSeen == null || update.at().isAfter(lastSeen))) {
                lastSeen = update.at();
            }
        }
        listener.onUpdate(update);
    }

    /** The earlier of the last update seen and the creation of the oldest order then live; null before any. */
    private Instant gapStart() {
        Instant since = lastSeen;
        for (Instant created : live.values()) {
            if (since == null || created.isBefore(since)) {
                since = created;
            }
        }
        return since;
    }

    /**
     * Lists what may have changed while the stream was not listening and hands it on as BACKFILL updates: the open
     * orders when nothing was seen yet ({@code since} null), else every order created since {@code since}.
     */
    void backfill(Instant since) {
        try {
            if (since == null) {
                for (BrokerOrder o : broker.openOrders()) {
                    deliver(new TradeUpdate("backfill", o, o.updatedAt(), TradeUpdate.Source.BACKFILL));
                }
                return;
            }
            Instant after = since.minus(BACKFILL_MARGIN);
            while (true) {
                List<AlpacaOrder> page = broker.list(OrderQuery.Status.ALL, after, AlpacaBroker.PAGE);
                for (AlpacaOrder o : page) {
                    for (BrokerOrder view : broker.keelView(o)) {
                        deliver(new TradeUpdate("backfill", view, view.updatedAt(), TradeUpdate.Source.BACKFILL));
                    }
                }
                if (page.size() < AlpacaBroker.PAGE) {
                    return;
                }
                after = page.get(page.size() - 1).order().createdAt();
            }
        } catch (BrokerException e) {
            LOG.warn("alpaca trade_updates backfill failed ({}: {}); polling covers the gap", e.code(),
                    e.getMessage());
        }
    }

    /** Collects frames, text or binary, into whole messages; one per connection, which it ends once. */
    private final class Frames implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private boolean ended;
        private boolean pingUnanswered;
        private int beats;
        private java.util.concurrent.ScheduledFuture<?> beat;
        /** This connection's last send; the next one starts when it is done. Guarded by this. */
        private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);

        /** Sends once every earlier send of this connection is done; a failed send ends the connection. */
        void send(WebSocket ws, String what, java.util.function.Function<WebSocket, CompletableFuture<WebSocket>> op) {
            CompletableFuture<WebSocket> next;
            synchronized (this) {
                if (ended) {
                    return;
                }
                next = sending.thenCompose(previous -> op.apply(ws));
                sending = next;
            }
            next.whenComplete((done, failure) -> {
                if (failure != null) {
                    ws.abort();
                    Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause()
                            != null ? failure.getCause() : failure;
                    end(what + " failed: " + cause.getClass().getSimpleName());
                }
            });
        }

        /** Reports this connection down, once: an abort after a failed heartbeat may also call onError. */
        private void end(String why) {
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
                if (beat != null) {
                    beat.cancel(false);
                }
            }
            down(why);
        }

        /**
         * One heartbeat: a ping, unless the last one is still unanswered, which means the connection is gone, or the
         * connection has not reached listening by its second beat.
         */
        private void beat(WebSocket ws) {
            State now = state();
            String gone;
            synchronized (this) {
                if (ended) {
                    return;
                }
                beats++;
                if (pingUnanswered) {
                    gone = "no answer to a heartbeat within " + heartbeat;
                } else if (beats >= 2 && now == State.AUTHENTICATING) {
                    gone = "not listening " + beats + " heartbeats after connecting";
                } else {
                    pingUnanswered = true;
                    gone = null;
                }
            }
            if (gone == null) {
                send(ws, "heartbeat", w -> w.sendPing(ByteBuffer.allocate(0)));
                return;
            }
            ws.abort();
            end(gone); // not under this lock: down() takes the stream's
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            synchronized (this) {
                pingUnanswered = false;
            }
            ws.request(1);
            return null;
        }

        @Override
        public void onOpen(WebSocket ws) {
            synchronized (TradeUpdateStream.this) {
                socket = ws;
                state = State.AUTHENTICATING;
            }
            synchronized (this) {
                long every = heartbeat.toNanos();
                beat = scheduler.scheduleWithFixedDelay(() -> beat(ws), every, every, TimeUnit.NANOSECONDS);
            }
            ObjectNode auth = AlpacaJson.MAPPER.createObjectNode().put("action", "auth").put("key", keys.keyId())
                    .put("secret", keys.secret());
            send(ws, "auth", w -> w.sendText(auth.toString(), true));
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                onMessage(this, ws, message);
            }
            ws.request(1);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            bytes.writeBytes(chunk);
            if (last) {
                String message = bytes.toString(StandardCharsets.UTF_8);
                bytes.reset();
                onMessage(this, ws, message);
            }
            ws.request(1);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            end("closed by Alpaca: " + status);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            end("error: " + error.getClass().getSimpleName());
        }
    }
}
