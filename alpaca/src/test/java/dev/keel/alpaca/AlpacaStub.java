package dev.keel.alpaca;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A real local HTTP server answering as Alpaca would, one scripted answer per request in order of {@code METHOD path}.
 * Every request it gets on the trading API is checked against Alpaca's OpenAPI document; {@link #problems()} lists
 * what the spec forbids. Paths under {@code /v2/stocks} are the data API, which the document does not cover.
 */
final class AlpacaStub implements AutoCloseable {
    /** One request as received. */
    record Received(String method, String path, String query, Map<String, List<String>> headers, String body) {
        String header(String name) {
            for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** What to answer; {@code drop} closes the connection without an answer, {@code hang} never answers. */
    record Answer(int status, String body, Map<String, String> headers, boolean drop, boolean hang) {
        static Answer json(int status, String body) {
            return new Answer(status, body, Map.of(), false, false);
        }

        Answer with(String header, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(header, value);
            return new Answer(status, body, h, drop, hang);
        }
    }

    static final Answer DROP = new Answer(0, null, Map.of(), true, false);
    static final Answer HANG = new Answer(0, null, Map.of(), false, true);

    private final HttpServer server;
    private final Map<String, Deque<Answer>> script = new LinkedHashMap<>();
    private final List<Received> received = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    AlpacaStub() throws IOException {
        OpenApiValidation.load();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Scripts the next answer to {@code METHOD path} (path without query). */
    synchronized AlpacaStub on(String method, String path, Answer answer) {
        script.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>()).add(answer);
        return this;
    }

    synchronized AlpacaStub on(String method, String path, int status, String body) {
        return on(method, path, Answer.json(status, body));
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    synchronized Received last() {
        return received.get(received.size() - 1);
    }

    /** What Alpaca's OpenAPI document forbids in the requests received so far. */
    synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            answer(exchange);
        } catch (RuntimeException | IOException e) {
            synchronized (this) {
                problems.add("the stub failed: " + e);
            }
            throw e;
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath().replace("%3A", ":");
        String query = exchange.getRequestURI().getRawQuery();
        Map<String, List<String>> headers = new LinkedHashMap<>(exchange.getRequestHeaders());
        Answer answer;
        synchronized (this) {
            received.add(new Received(method, path, query, headers, body));
            if (!path.startsWith("/v2/stocks/")) {
                problems.addAll(OpenApiValidation.problems(method, path, query, headers, body));
            }
            Deque<Answer> queue = script.get(method + " " + path);
            answer = queue == null || queue.isEmpty() ? Answer.json(599, "{\"message\":\"unscripted " + method + " "
                    + path + "\"}") : queue.size() == 1 ? queue.peek() : queue.poll();
        }
        if (answer.drop()) {
            exchange.close();
            return;
        }
        if (answer.hang()) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] bytes = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
        if (answer.body() != null) {
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        }
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
