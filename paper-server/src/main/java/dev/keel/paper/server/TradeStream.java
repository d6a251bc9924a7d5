package dev.keel.paper.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.model.OrderState;
import dev.keel.paper.ExchangeOrderLogEntry;
import dev.keel.paper.PaperExchange;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alpaca's {@code trade_updates} stream at {@code /stream}: the client authenticates ({@code {"action":"auth",
 * "key":...,"secret":...}} or the older {@code {"action":"authenticate","data":{"key_id":...,"secret_key":...}}}),
 * listens ({@code {"action":"listen","data":{"streams":["trade_updates"]}}}), then receives one message per order
 * event of its account: {@code new}, {@code partial_fill}, {@code fill}, {@code canceled}, {@code expired},
 * {@code rejected}, {@code replaced}, each with the order object. Events are found by comparing the exchange's
 * orders with what was last seen, after every request and on a timer; only changes after the client listened are
 * sent, as Alpaca replays nothing. A {@code stream-drop} rule of the fault plan cuts the account's connections
 * instead of sending an event.
 */
final class TradeStream {
    private static final Logger LOG = LoggerFactory.getLogger(TradeStream.class);
    private static final String TRADE_UPDATES = "trade_updates";

    private final PaperExchange exchange;
    private final KeyRing keys;
    private final Replacements replacements;
    private final Clock clock;
    private final boolean binaryFrames;
    private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();
    /** What each order looked like when last published; guarded by this. */
    private final Map<String, Seen> seen = new HashMap<>();
    /** Whether {@link #seen} follows the exchange; false while nobody listens. Guarded by this. */
    private boolean tracking;

    TradeStream(PaperExchange exchange, KeyRing keys, Replacements replacements, Clock clock, boolean binaryFrames) {
        this.exchange = exchange;
        this.keys = keys;
        this.replacements = replacements;
        this.clock = clock;
        this.binaryFrames = binaryFrames;
    }

    private record Seen(OrderState state, BigDecimal filled, int fills, boolean replaced) {
        static Seen of(ExchangeOrderLogEntry e, Replacements replacements) {
            return new Seen(e.state(), e.filledQuantity(), e.fills().size(),
                    replacements.replacedBy(e.brokerOrderId()) != null);
        }
    }

    /** One connection: its account once authenticated, whether it listens to trade_updates. */
    private static final class Subscriber {
        final WsContext ctx;
        volatile String account;
        volatile boolean listening;

        Subscriber(WsContext ctx) {
            this.ctx = ctx;
        }
    }

    void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.session.setIdleTimeout(java.time.Duration.ZERO);
            subscribers.put(ctx.sessionId(), new Subscriber(ctx));
        });
        ws.onClose(ctx -> subscribers.remove(ctx.sessionId()));
        ws.onError(ctx -> subscribers.remove(ctx.sessionId()));
        ws.onMessage(ctx -> receive(ctx, ctx.message()));
        ws.onBinaryMessage(ctx -> receive(ctx, StandardCharsets.UTF_8.decode(ctx.data()).toString()));
    }

    private void receive(WsContext ctx, String text) {
        Subscriber s = subscribers.get(ctx.sessionId());
        if (s == null) {
            return;
        }
        JsonNode msg;
        try {
            msg = AlpacaJson.MAPPER.readTree(text);
        } catch (IOException e) {
            send(s, error("invalid syntax"));
            return;
        }
        String action = msg.path("action").asText("");
        switch (action) {
            case "auth", "authenticate" -> authenticate(s, msg);
            case "listen" -> listen(s, msg);
            default -> send(s, error("invalid action: " + action));
        }
    }

    private void authenticate(Subscriber s, JsonNode msg) {
        JsonNode data = msg.path("data");
        String key = msg.hasNonNull("key") ? msg.path("key").asText() : data.path("key_id").asText(null);
        String secret = msg.hasNonNull("secret") ? msg.path("secret").asText() : data.path("secret_key").asText(null);
        ObjectNode reply = AlpacaJson.MAPPER.createObjectNode();
        reply.put("stream", "authorization");
        ObjectNode body = reply.putObject("data");
        body.put("action", "authenticate");
        String account = keys.account(key, secret).orElse(null);
        if (account == null) {
            body.put("status", "unauthorized");
            body.put("message", "access key verification failed");
            send(s, reply);
            s.ctx.closeSession(1008, "unauthorized");
            return;
        }
        s.account = account;
        body.put("status", "authorized");
        send(s, reply);
    }

    private void listen(Subscriber s, JsonNode msg) {
        if (s.account == null) {
            send(s, error("access key verification failed"));
            return;
        }
        boolean wants = false;
        for (JsonNode stream : msg.path("data").path("streams")) {
            wants |= TRADE_UPDATES.equals(stream.asText());
        }
        synchronized (this) {
            if (wants && !tracking) {
                baseline();
            }
            s.listening = wants;
        }
        ObjectNode reply = AlpacaJson.MAPPER.createObjectNode();
        reply.put("stream", "listening");
        reply.putObject("data").putArray("streams").addAll(wants ? List.of(AlpacaJson.MAPPER.getNodeFactory()
                .textNode(TRADE_UPDATES)) : List.of());
        send(s, reply);
    }

    /** Starts following the exchange from now: what already happened is not an event. */
    private void baseline() {
        seen.clear();
        for (ExchangeOrderLogEntry e : exchange.orderLog()) {
            seen.put(e.brokerOrderId(), Seen.of(e, replacements));
        }
        tracking = true;
    }

    /** Sends the events of every order that changed since the last call to the accounts' listeners. */
    synchronized void publish() {
        boolean anyone = subscribers.values().stream().anyMatch(s -> s.listening);
        if (!anyone) {
            tracking = false; // nobody to tell: stop following until someone listens again
            return;
        }
        List<ExchangeOrderLogEntry> log = exchange.orderLog();
        Map<String, ExchangeOrderLogEntry> all = log.stream()
                .collect(Collectors.toMap(ExchangeOrderLogEntry::brokerOrderId, Function.identity()));
        for (ExchangeOrderLogEntry e : log) {
            Seen before = seen.get(e.brokerOrderId());
            Seen now = Seen.of(e, replacements);
            if (now.equals(before)) {
                continue;
            }
            seen.put(e.brokerOrderId(), now);
            for (ObjectNode event : events(e, before, now, all)) {
                List<Subscriber> listeners = subscribers.values().stream()
                        .filter(s -> s.listening && e.accountId().equals(s.account)).toList();
                if (listeners.isEmpty()) {
                    continue;
                }
                if (exchange.dropsStreamEvent(e.accountId())) {
                    // the stream-drop fault: the event is lost with the connections; the client must backfill
                    LOG.info("trade_updates: injected stream-drop for account {}", e.accountId());
                    listeners.forEach(this::disconnect);
                    continue;
                }
                listeners.forEach(s -> send(s, event));
            }
        }
    }

    private List<ObjectNode> events(ExchangeOrderLogEntry e, Seen before, Seen now,
                                    Map<String, ExchangeOrderLogEntry> all) {
        List<ObjectNode> events = new java.util.ArrayList<>();
        if (before == null) {
            events.add(event("new", e, all));
        }
        int fillsBefore = before == null ? 0 : before.fills();
        if (now.fills() > fillsBefore) {
            ObjectNode fill = event(e.state() == OrderState.FILLED ? "fill" : "partial_fill", e, all);
            BigDecimal qty = BigDecimal.ZERO;
            for (int i = fillsBefore; i < now.fills(); i++) {
                qty = qty.add(e.fills().get(i).quantity());
            }
            ExchangeOrderLogEntry.Fill last = e.fills().get(now.fills() - 1);
            ObjectNode data = (ObjectNode) fill.get("data");
            data.put("execution_id", Ids.execution(e.brokerOrderId(), now.fills() - 1));
            data.put("price", AlpacaJson.decimal(last.price()));
            data.put("qty", AlpacaJson.decimal(qty));
            data.put("position_qty", AlpacaJson.decimal(exchange.accountSnapshot(e.accountId())
                    .quantity(e.spec().symbol())));
            data.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(last.at()));
            events.add(fill);
        }
        boolean ended = before == null || before.state() != now.state() || before.replaced() != now.replaced();
        if (ended) {
            String name = switch (e.state()) {
                case CANCELLED -> now.replaced() ? "replaced" : "canceled";
                case EXPIRED -> "expired";
                case REJECTED, FAILED -> "rejected";
                default -> null;
            };
            if (name != null) {
                events.add(event(name, e, all));
            }
        }
        return events;
    }

    private ObjectNode event(String name, ExchangeOrderLogEntry e, Map<String, ExchangeOrderLogEntry> all) {
        ObjectNode msg = AlpacaJson.MAPPER.createObjectNode();
        msg.put("stream", TRADE_UPDATES);
        ObjectNode data = msg.putObject("data");
        data.put("event", name);
        data.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(clock.instant()));
        data.set("order", AlpacaJson.order(e, all, replacements, true));
        return msg;
    }

    private static ObjectNode error(String message) {
        ObjectNode reply = AlpacaJson.MAPPER.createObjectNode();
        reply.put("stream", "listening");
        reply.putObject("data").put("error", message);
        return reply;
    }

    private void send(Subscriber s, ObjectNode message) {
        String text = message.toString();
        synchronized (s) {
            if (!s.ctx.session.isOpen()) {
                return;
            }
            if (binaryFrames) {
                s.ctx.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            } else {
                s.ctx.send(text);
            }
        }
    }

    /** Cuts every stream connection without a close handshake, as a network failure would. */
    void dropAll() {
        subscribers.values().forEach(this::disconnect);
    }

    private void disconnect(Subscriber s) {
        subscribers.remove(s.ctx.sessionId());
        s.ctx.session.disconnect();
    }

    /** How many connections are open: for tests. */
    int connections() {
        return subscribers.size();
    }

    static void logFailure(Exception e) {
        LOG.warn("trade_updates: could not publish order events: {}", e.toString());
    }
}
