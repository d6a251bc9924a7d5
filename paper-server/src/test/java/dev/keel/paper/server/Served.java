package dev.keel.paper.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.model.Symbol;
import dev.keel.core.time.ManualClock;
import dev.keel.paper.FaultRule;
import dev.keel.paper.PaperConfig;
import dev.keel.paper.PaperExchange;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A paper exchange served on an ephemeral port, and a real HTTP client for it that checks every answer against
 * Alpaca's OpenAPI document. Monday 3 March 2025, 10:00 New York; VTI at 250, TLT at 90, no spread; $10,000 cash.
 */
final class Served implements AutoCloseable {
    static final Instant MONDAY_10AM_NY = Instant.parse("2025-03-03T15:00:00Z");
    static final String SECRET = "paper-secret-7f3a";
    static final Symbol VTI = Symbol.of("VTI");
    static final Symbol TLT = Symbol.of("TLT");

    final ManualClock clock = new ManualClock(MONDAY_10AM_NY);
    final PaperExchange exchange;
    final PaperServer server;
    final HttpClient http = HttpClient.newHttpClient();
    String keyId = "acct";
    String secret = SECRET;

    Served() {
        this(UnaryOperator.identity(), UnaryOperator.identity());
    }

    Served(UnaryOperator<PaperConfig.Builder> exchangeSetup, UnaryOperator<ServerSettings.Builder> serverSetup) {
        PaperConfig config = exchangeSetup.apply(PaperConfig.builder()
                .seed(7)
                .startingCash(new BigDecimal("10000"))
                .price(VTI, new BigDecimal("250"))
                .price(TLT, new BigDecimal("90"))
                .spreadBps(BigDecimal.ZERO)).build();
        exchange = new PaperExchange(config, clock, clock);
        server = PaperServer.start(exchange, serverSetup.apply(ServerSettings.builder(KeyRing.sharedSecret(SECRET))
                .port(0).streamPoll(Duration.ZERO).holdFor(Duration.ofSeconds(5))).build(), clock);
    }

    static Served withFaults(FaultRule... rules) {
        return new Served(b -> b.faults(List.of(rules)), UnaryOperator.identity());
    }

    /** An answer: status, headers, body (null when empty). */
    record Reply(int status, HttpResponse<String> raw, JsonNode body) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path));
        if (keyId != null) {
            b.header("APCA-API-KEY-ID", keyId);
        }
        if (secret != null) {
            b.header("APCA-API-SECRET-KEY", secret);
        }
        return b;
    }

    /**
     * Sends a request and validates the answer against the spec's schema for {@code template} (the spec's path),
     * the method and the status; an error answer against Alpaca's Error schema.
     */
    Reply call(String method, String template, String path, String json) {
        try {
            return send(method, template, request(path), json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Reply send(String method, String template, HttpRequest.Builder request, String json) throws IOException {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> raw;
        try {
            raw = http.send(request.method(method, body).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        JsonNode parsed = raw.body().isEmpty() ? null : AlpacaJson.MAPPER.readTree(raw.body());
        Reply reply = new Reply(raw.statusCode(), raw, parsed);
        validate(method, template, reply);
        return reply;
    }

    private static void validate(String method, String template, Reply reply) {
        if (reply.status() >= 400) {
            assertThat(SpecValidator.problemsAgainst("Error", reply.body())).as("error body %s", reply.body()).isEmpty();
            return;
        }
        if (template != null && reply.body() != null) {
            assertThat(SpecValidator.problems(template, method, reply.status(), reply.body()))
                    .as("%s %s answered %s", method, template, reply.body()).isEmpty();
        }
    }

    Reply get(String template, String path) {
        return call("GET", template, path, null);
    }

    Reply post(String json) {
        return call("POST", "/v2/orders", "/v2/orders", json);
    }

    @Override
    public void close() {
        server.close();
        exchange.close();
    }
}
