package dev.keel.alpaca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.model.OrderState;
import dev.keel.core.time.ManualClock;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The trade_updates client against a real local WebSocket server (Javalin) speaking Alpaca's protocol, with the REST
 * API of the backfill on a real local HTTP server.
 */
class TradeUpdateStreamTest {
    private static final String ORDER_ID = "00000000-0000-4000-8000-000000000001";

    private final ManualClock clock = new ManualClock(Instant.parse("2024-04-15T14:00:00Z"));
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<TradeUpdate> updates = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<WsContext, Integer>> afterListen = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger connection = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean binary;
    private volatile boolean refuseKeys;
    /** Connections (1-based) whose listen the server reads and never answers. */
    private final java.util.Set<Integer> unansweredListens = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private Javalin server;
    private AlpacaStub rest;
    private AlpacaBroker broker;
    private ScheduledExecutorService scheduler;
    private TradeUpdateStream stream;

    @BeforeEach
    void start() throws IOException {
        server = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = 0;
            cfg.routes.ws("/stream", ws -> {
                ws.onConnect(ctx -> connection.incrementAndGet());
                ws.onMessage(ctx -> answer(ctx, ctx.message()));
                ws.onBinaryMessage(ctx -> answer(ctx, StandardCharsets.UTF_8.decode(ctx.data().duplicate()).toString()));
            });
        }).start();
        rest = new AlpacaStub();
        AlpacaSettings settings = AlpacaSettings.builder(rest.url()).dataUrl(rest.url())
                .streamUrl(URI.create("ws://127.0.0.1:" + server.port() + "/stream")).build();
        broker = new AlpacaBroker("acct-1", settings, AlpacaBrokerTest.KEYS, clock, clock);
        scheduler = Executors.newSingleThreadScheduledExecutor();
        stream = broker.tradeUpdates(updates::add, scheduler, new SplittableRandom(42), Duration.ofMillis(20),
                Duration.ofMillis(200));
    }

    @AfterEach
    void stop() {
        stream.close();
        scheduler.shutdownNow();
        broker.close();
        server.stop();
        rest.close();
        assertThat(rest.problems()).as("requests the OpenAPI document forbids").isEmpty();
    }

    private void answer(WsContext ctx, String text) {
        received.add(text);
        JsonNode message;
        try {
            message = Fixtures.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        switch (message.path("action").asText()) {
            case "auth" -> send(ctx, "{\"stream\":\"authorization\",\"data\":{\"status\":\""
                    + (refuseKeys ? "unauthorized" : "authorized") + "\",\"action\":\"authenticate\"}}");
            case "listen" -> {
                if (unansweredListens.contains(connection.get())) {
                    return; // the socket stays open and answers pings: only the listen goes unanswered
                }
                send(ctx, "{\"stream\":\"listening\",\"data\":{\"streams\":[\"trade_updates\"]}}");
                int n = connection.get();
                if (n - 1 < afterListen.size()) {
                    afterListen.get(n - 1).accept(ctx, n);
                }
            }
            default -> { }
        }
    }

    private void send(WsContext ctx, String text) {
        if (binary) {
            ctx.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        } else {
            ctx.send(text);
        }
    }

    private static String update(String event, String status, String filled, String timestamp) {
        return "{\"stream\":\"trade_updates\",\"data\":{\"event\":\"" + event + "\",\"execution_id\":\"x-" + event
                + "\",\"price\":\"150\",\"qty\":\"1\",\"timestamp\":\"" + timestamp + "\",\"order\":"
                + Fixtures.order(ORDER_ID, "tx-1:AAPL").set("qty", "2").status(status, filled, "150")
                .set("created_at", "2024-04-15T14:00:00.5Z").set("updated_at", timestamp) + "}}";
    }

    @Test
    void authenticatesListensAndDeliversPartialFillThenFill() {
        afterListen.add((ctx, n) -> {
            send(ctx, update("partial_fill", "partially_filled", "1", "2024-04-15T14:00:01Z"));
            send(ctx, update("fill", "filled", "2", "2024-04-15T14:00:02Z"));
        });
        rest.on("GET", "/v2/orders", 200, "[]");

        stream.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> updates.stream()
                .filter(u -> u.source() == TradeUpdate.Source.STREAM).count() == 2);
        List<TradeUpdate> streamed = updates.stream().filter(u -> u.source() == TradeUpdate.Source.STREAM).toList();
        assertThat(streamed).extracting(TradeUpdate::event).containsExactly("partial_fill", "fill");
        assertThat(streamed).extracting(u -> u.order().state())
                .containsExactly(OrderState.PARTIALLY_FILLED, OrderState.FILLED);
        assertThat(streamed.get(1).order().clientOrderId()).isEqualTo("tx-1:AAPL");
        assertThat(received.get(0)).contains("\"action\":\"auth\"").contains(AlpacaBrokerTest.KEYS.keyId());
        assertThat(received.get(1)).isEqualTo("{\"action\":\"listen\",\"data\":{\"streams\":[\"trade_updates\"]}}");
        assertThat(stream.lastSeen()).isEqualTo(Instant.parse("2024-04-15T14:00:02Z"));
        assertThat(stream.state()).isEqualTo(TradeUpdateStream.State.LISTENING);
    }

    @Test
    void aFillMissedWhileDisconnectedIsBackfilledOnReconnect() {
        // First connection: the order is accepted, then the connection drops; its fill happens in the gap.
        afterListen.add((ctx, n) -> {
            send(ctx, update("new", "new", "0", "2024-04-15T14:00:01Z"));
            ctx.closeSession();
        });
        afterListen.add((ctx, n) -> { });
        rest.on("GET", "/v2/orders", 200, "[]");
        OrderUpdateCache cache = new OrderUpdateCache();
        stream.close();
        stream = broker.tradeUpdates(u -> {
            updates.add(u);
            cache.onUpdate(u);
        }, scheduler, new SplittableRandom(42), Duration.ofMillis(20), Duration.ofMillis(200));
        rest.on("GET", "/v2/orders", 200, "[" + Fixtures.order(ORDER_ID, "tx-1:AAPL").set("qty", "2")
                .status("filled", "2", "150").set("created_at", "2024-04-15T14:00:00.5Z")
                .set("updated_at", "2024-04-15T14:00:05Z") + "]");

        stream.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> cache.latest("tx-1:AAPL")
                .map(o -> o.state() == OrderState.FILLED).orElse(false));
        assertThat(stream.connections()).isEqualTo(2);
        assertThat(updates).anySatisfy(u -> {
            assertThat(u.source()).isEqualTo(TradeUpdate.Source.BACKFILL);
            assertThat(u.order().state()).isEqualTo(OrderState.FILLED);
        });
        List<String> queries = new ArrayList<>();
        rest.received().forEach(r -> queries.add(r.query()));
        assertThat(queries).as("first connect reads open orders; the reconnect lists everything since the gap")
                .contains("status=open&limit=500&direction=asc&nested=true")
                .anySatisfy(q -> assertThat(q).startsWith("status=all&limit=500&direction=asc&nested=true&after=")
                        .contains("after=2024-04-15T13%3A59%3A59.500Z"));
        assertThat(cache.oldestLive()).isNull();
    }

    /**
     * A connection that goes silent without a word (no close, no reset: a NAT timing out) is noticed by the heartbeat,
     * whose ping goes unanswered: the stream reconnects and backfills the fill it missed. Without the heartbeat an
     * idle client waits forever: the JDK's WebSocket reports nothing until it writes.
     */
    @Test
    void aConnectionThatGoesSilentIsNoticedByTheHeartbeatAndTheMissedFillBackfilled() throws IOException {
        afterListen.add((ctx, n) -> send(ctx, update("new", "new", "0", "2024-04-15T14:00:01Z")));
        afterListen.add((ctx, n) -> { });
        // The first connect reads the open orders (none); any later listing finds the order filled.
        rest.on("GET", "/v2/orders", 200, "[]");
        rest.on("GET", "/v2/orders", 200, "[" + Fixtures.order(ORDER_ID, "tx-1:AAPL").set("qty", "2")
                .status("filled", "2", "150").set("created_at", "2024-04-15T14:00:00.5Z")
                .set("updated_at", "2024-04-15T14:00:05Z") + "]");
        try (SilentProxy proxy = new SilentProxy(server.port())) {
            AlpacaSettings settings = AlpacaSettings.builder(rest.url()).dataUrl(rest.url())
                    .streamUrl(URI.create("ws://127.0.0.1:" + proxy.port() + "/stream")).build();
            try (AlpacaBroker viaProxy = new AlpacaBroker("acct-1", settings, AlpacaBrokerTest.KEYS, clock, clock)) {
                OrderUpdateCache cache = new OrderUpdateCache();
                stream.close();
                stream = viaProxy.tradeUpdates(u -> {
                    updates.add(u);
                    cache.onUpdate(u);
                }, scheduler, new SplittableRandom(42), Duration.ofMillis(20), Duration.ofMillis(200),
                        Duration.ofMillis(300));
                stream.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> updates.stream()
                        .anyMatch(u -> u.source() == TradeUpdate.Source.STREAM && u.event().equals("new")));

                proxy.silence();

                await().atMost(Duration.ofSeconds(10)).until(() -> cache.latest("tx-1:AAPL")
                        .map(o -> o.state() == OrderState.FILLED).orElse(false));
                // at least 2: on a loaded machine a pong may also miss its 300 ms, which costs a reconnect, no more
                assertThat(stream.connections()).isGreaterThanOrEqualTo(2);
                assertThat(rest.received()).extracting(AlpacaStub.Received::query)
                        .anySatisfy(q -> assertThat(q).startsWith("status=all"));
                assertThat(updates).filteredOn(u -> u.order().state() == OrderState.FILLED)
                        .allSatisfy(u -> assertThat(u.source()).isEqualTo(TradeUpdate.Source.BACKFILL));
            }
        }
    }

    /**
     * A server that accepts the connection and never answers the WebSocket upgrade: the stream gives up after its
     * connect timeout and tries again, instead of waiting in CONNECTING for good (no heartbeat runs before the
     * handshake, so nothing else would notice). Seen as a demo whose stream never came back after a drop.
     */
    @Test
    void anUpgradeThatIsNeverAnsweredTimesOutAndIsTriedAgain() throws IOException {
        java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        List<java.net.Socket> held = new CopyOnWriteArrayList<>();
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // kept open, never answered
                        accepted.incrementAndGet();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "silent-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            AlpacaSettings settings = AlpacaSettings.builder(rest.url()).dataUrl(rest.url())
                    .streamUrl(URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/stream"))
                    .timeout(Duration.ofMillis(300)).build();
            try (AlpacaBroker toSilence = new AlpacaBroker("acct-1", settings, AlpacaBrokerTest.KEYS, clock, clock)) {
                stream.close();
                stream = toSilence.tradeUpdates(updates::add, scheduler, new SplittableRandom(42),
                        Duration.ofMillis(20), Duration.ofMillis(200));
                stream.start();

                await().atMost(Duration.ofSeconds(10)).until(() -> accepted.get() >= 2);
                assertThat(stream.state()).isIn(TradeUpdateStream.State.CONNECTING, TradeUpdateStream.State.DOWN);
                assertThat(stream.connections()).isZero();
            }
        } finally {
            for (java.net.Socket s : held) {
                s.close();
            }
        }
    }

    /**
     * A connection that authenticates and answers pings but never says it is listening is given up by its second
     * heartbeat and a new one made, instead of looking alive for good while no update arrives. Seen as the Alpaca
     * demo's stream that never came back after a drop: the JDK fails a send made while another is outstanding, and
     * the listen was such a send, failed with nobody looking.
     */
    @Test
    void aConnectionThatNeverSaysListeningIsGivenUpAndMadeAgain() {
        unansweredListens.add(1);
        stream.close();
        stream = broker.tradeUpdates(updates::add, scheduler, new SplittableRandom(42), Duration.ofMillis(20),
                Duration.ofMillis(200), Duration.ofMillis(200));
        stream.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> stream.state() == TradeUpdateStream.State.LISTENING);
        assertThat(connection.get()).as("the first connection given up, a second made").isGreaterThanOrEqualTo(2);
        assertThat(stream.connections()).as("times it reached listening").isEqualTo(1);
        assertThat(received).filteredOn(m -> m.contains("\"listen\"")).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void binaryFramesAreReadAsAlpacasPaperEndpointSendsThem() {
        binary = true;
        afterListen.add((ctx, n) -> send(ctx, update("fill", "filled", "2", "2024-04-15T14:00:02Z")));
        rest.on("GET", "/v2/orders", 200, "[]");

        stream.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> updates.stream()
                .anyMatch(u -> u.source() == TradeUpdate.Source.STREAM && u.event().equals("fill")));
    }

    @Test
    void refusedKeysStopTheListenAndSayUnauthorized() {
        refuseKeys = true;

        stream.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> stream.state() == TradeUpdateStream.State.UNAUTHORIZED);
        assertThat(received).noneMatch(m -> m.contains("\"listen\""));
    }

    @Test
    void backoffGrowsToItsCapWithSeededJitter() {
        assertThat(stream.backoff(1)).isBetween(Duration.ofMillis(15), Duration.ofMillis(20));
        assertThat(stream.backoff(2)).isBetween(Duration.ofMillis(30), Duration.ofMillis(40));
        assertThat(stream.backoff(40)).isBetween(Duration.ofMillis(150), Duration.ofMillis(200));
    }
}
