package dev.keel.paper.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TradeStreamTest {
    private final Served served = new Served();

    @AfterEach
    void close() {
        served.close();
    }

    /** A java.net.http WebSocket that queues every message, text or binary, and says when it closed. */
    private static final class Client implements WebSocket.Listener {
        final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<String> ends = new LinkedBlockingQueue<>();
        final BlockingQueue<String> pongs = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            bytes.writeBytes(chunk);
            if (last) {
                add(bytes.toString(StandardCharsets.UTF_8));
                bytes.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            pongs.add("pong");
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            ends.add("closed " + status);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            ends.add("error " + error);
        }

        private void add(String json) {
            try {
                messages.add(AlpacaJson.MAPPER.readTree(json));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        JsonNode next() throws InterruptedException {
            JsonNode m = messages.poll(20, TimeUnit.SECONDS);
            assertThat(m).as("a stream message within 20 s").isNotNull();
            return m;
        }

        void send(String json) {
            socket.sendText(json, true).join();
        }
    }

    private Client connect() {
        Client client = new Client();
        client.socket = served.http.newWebSocketBuilder().buildAsync(served.server.streamUrl(), client).join();
        return client;
    }

    private Client listening() throws InterruptedException {
        Client client = connect();
        client.send("{\"action\":\"auth\",\"key\":\"acct\",\"secret\":\"" + Served.SECRET + "\"}");
        JsonNode auth = client.next();
        assertThat(auth.path("stream").asText()).isEqualTo("authorization");
        assertThat(auth.path("data").path("status").asText()).isEqualTo("authorized");
        client.send("{\"action\":\"listen\",\"data\":{\"streams\":[\"trade_updates\"]}}");
        JsonNode listening = client.next();
        assertThat(listening.path("stream").asText()).isEqualTo("listening");
        assertThat(listening.path("data").path("streams").get(0).asText()).isEqualTo("trade_updates");
        return client;
    }

    @Test
    void aListenerSeesTheNewOrderAndItsFillWithTheOrderObject() throws InterruptedException {
        Client client = listening();

        served.post("{\"symbol\":\"VTI\",\"qty\":\"2\",\"side\":\"buy\",\"type\":\"market\",\"time_in_force\":\"day\","
                + "\"client_order_id\":\"s1\"}");

        JsonNode created = client.next();
        assertThat(created.path("stream").asText()).isEqualTo("trade_updates");
        assertThat(created.path("data").path("event").asText()).isEqualTo("new");
        JsonNode fill = client.next().path("data");
        assertThat(fill.path("event").asText()).isEqualTo("fill");
        assertThat(fill.path("qty").asText()).isEqualTo("2");
        assertThat(fill.path("price").asText()).isEqualTo("250");
        assertThat(fill.path("position_qty").asText()).isEqualTo("2");
        assertThat(fill.path("order").path("client_order_id").asText()).isEqualTo("s1");
        assertThat(SpecValidator.problemsAgainst("Order", fill.path("order"))).isEmpty();
    }

    @Test
    void cancelsAndReplacementsAreEvents() throws InterruptedException {
        String id = served.post("{\"symbol\":\"VTI\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"limit\","
                + "\"limit_price\":\"200\",\"time_in_force\":\"gtc\"}").body().path("id").asText();
        String other = served.post("{\"symbol\":\"VTI\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"limit\","
                + "\"limit_price\":\"201\",\"time_in_force\":\"gtc\"}").body().path("id").asText();
        Client client = listening();

        served.call("PATCH", "/v2/orders/{order_id}", "/v2/orders/" + id, "{\"limit_price\":\"205\"}");
        served.call("DELETE", "/v2/orders/{order_id}", "/v2/orders/" + other, null);

        assertThat(client.next().path("data").path("event").asText()).isEqualTo("replaced");
        assertThat(client.next().path("data").path("event").asText()).isEqualTo("new");
        JsonNode canceled = client.next().path("data");
        assertThat(canceled.path("event").asText()).isEqualTo("canceled");
        assertThat(canceled.path("order").path("id").asText()).isEqualTo(other);
    }

    @Test
    void anotherAccountsOrdersAreNotSent() throws InterruptedException {
        Client client = listening();
        served.keyId = "someone-else";
        served.post("{\"symbol\":\"VTI\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"market\",\"time_in_force\":\"day\"}");
        served.keyId = "acct";
        served.post("{\"symbol\":\"TLT\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"market\",\"time_in_force\":\"day\"}");

        assertThat(client.next().path("data").path("order").path("symbol").asText()).isEqualTo("TLT");
    }

    @Test
    void aWrongSecretIsUnauthorizedAndTheConnectionClosed() throws InterruptedException {
        Client client = connect();
        client.send("{\"action\":\"authenticate\",\"data\":{\"key_id\":\"acct\",\"secret_key\":\"nope\"}}");

        JsonNode refused = client.next();

        assertThat(refused.path("data").path("status").asText()).isEqualTo("unauthorized");
        assertThat(client.ends.poll(20, TimeUnit.SECONDS)).startsWith("closed");
    }

    /**
     * Whether the connection was cut without a close handshake, judged as every real client must judge it (Keel's
     * {@code TradeUpdateStream} does the same with its heartbeat): the JDK's client reports such a cut when it is
     * reading, but not always (seen under load: the end never reported to an idle client within 20 s although the
     * server had cut the connection, with or without a write after it). So: an end reported within 5 s, else a ping
     * that fails or that no pong answers within 10 s. A live connection answers the ping, and that is "not cut".
     *
     * @return how the cut was seen, or null when the connection still answers
     */
    private static String cut(Client client) throws InterruptedException {
        String end = client.ends.poll(5, TimeUnit.SECONDS);
        if (end != null) {
            return end;
        }
        client.pongs.clear();
        client.socket.sendPing(ByteBuffer.allocate(0)).exceptionally(e -> {
            client.ends.add("error on ping " + e);
            return null;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            end = client.ends.poll(100, TimeUnit.MILLISECONDS);
            if (end != null) {
                return end;
            }
            if (!client.pongs.isEmpty()) {
                return null; // the server answered: the connection is alive
            }
        }
        return "no pong within 10 s";
    }

    @Test
    void aStreamDropRuleCutsTheConnectionInsteadOfSendingTheNthEvent() throws InterruptedException {
        try (Served faulty = Served.withFaults(dev.keel.paper.FaultRule.streamDrop().withNth(2))) {
            Client client = new Client();
            client.socket = faulty.http.newWebSocketBuilder().buildAsync(faulty.server.streamUrl(), client).join();
            client.send("{\"action\":\"auth\",\"key\":\"acct\",\"secret\":\"" + Served.SECRET + "\"}");
            client.next();
            client.send("{\"action\":\"listen\",\"data\":{\"streams\":[\"trade_updates\"]}}");
            client.next();

            faulty.post("{\"symbol\":\"VTI\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"market\","
                    + "\"time_in_force\":\"day\"}");

            assertThat(client.next().path("data").path("event").asText()).isEqualTo("new");
            assertThat(cut(client)).as("the fill event dropped the connection").isNotNull();
            assertThat(client.messages).isEmpty();
            assertThat(faulty.exchange.faultsFired()).singleElement()
                    .satisfies(f -> assertThat(f.kind()).isEqualTo(dev.keel.paper.FaultKind.STREAM_DROP));
        }
    }

    @Test
    void aFillCausedByTimeAloneReachesTheStreamByThePoll() throws InterruptedException {
        try (Served polled = new Served(java.util.function.UnaryOperator.identity(),
                b -> b.streamPoll(java.time.Duration.ofMillis(20)))) {
            polled.post("{\"symbol\":\"VTI\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"limit\","
                    + "\"limit_price\":\"240\",\"time_in_force\":\"gtc\",\"client_order_id\":\"resting\"}");
            Client client = new Client();
            client.socket = polled.http.newWebSocketBuilder().buildAsync(polled.server.streamUrl(), client).join();
            client.send("{\"action\":\"auth\",\"key\":\"acct\",\"secret\":\"" + Served.SECRET + "\"}");
            client.next();
            client.send("{\"action\":\"listen\",\"data\":{\"streams\":[\"trade_updates\"]}}");
            client.next();

            polled.exchange.setPrice(Served.VTI, new java.math.BigDecimal("239")); // no request: only the poll sees it

            JsonNode fill = client.next().path("data");
            assertThat(fill.path("event").asText()).isEqualTo("fill");
            assertThat(fill.path("order").path("client_order_id").asText()).isEqualTo("resting");
        }
    }

    @Test
    void aDroppedStreamEndsTheClientsConnection() throws InterruptedException {
        Client client = listening();

        served.server.dropStreams();

        assertThat(cut(client)).as("the dropped stream").isNotNull();
    }
}
