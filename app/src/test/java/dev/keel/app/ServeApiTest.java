package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.app.config.ConfigLoader;
import dev.keel.app.config.KeelConfig;
import dev.keel.app.config.ServeSettings;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.journal.JournalSamples;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.time.ManualClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keel serve}'s REST API over real HTTP (a real Javalin server on an ephemeral 127.0.0.1 port, the JDK's HTTP
 * client), on a real SQLite journal and the paper exchange, with simulated time: the token, the standard error
 * response for every kind of bad request, idempotency keys, snake_case bodies, readiness, metrics, and two callers
 * meeting on one account.
 */
class ServeApiTest {
    static final String TOKEN = "test-token-0123456789abcdef";
    /** Monday 10:00 in New York: the paper market is open. */
    static final Instant START = Instant.parse("2026-11-23T15:00:00Z");

    static final String CONFIG = """
            journal: sqlite:%1$s/keel.db
            broker:
              kind: paper
              paper:
                state: %1$s/paper.db
                seed: 42
                cash: 10000.00
                positions: { VTI: 50, TLT: 10 }
                prices: { VTI: 250.00, TLT: 90.00, IEF: 95.00, GLD: 185.00, DBC: 22.00 }
            accounts:
              - id: main
                targets: { VTI: 0.30, TLT: 0.40, IEF: 0.15, GLD: 0.075, DBC: 0.075 }
                schedule: "0 10 * * MON-FRI"
            notifications: [ { kind: file, path: %1$s/notifications.log } ]
            serve: { port: 0 }
            """;

    @TempDir
    Path dir;

    final ManualClock clock = new ManualClock(START);
    final ObjectMapper json = Output.jsonMapper();
    final HttpClient http = HttpClient.newHttpClient();
    final AtomicBoolean ready = new AtomicBoolean(true);
    KeelRuntime runtime;
    KeelApi api;
    PrometheusMeterRegistry prometheus;

    static KeelConfig config(Path dir) throws IOException {
        Path file = dir.resolve("keel.yaml");
        Files.writeString(file, CONFIG.formatted(dir));
        return ConfigLoader.load(file);
    }

    @BeforeEach
    void start() throws IOException {
        KeelConfig cfg = config(dir);
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        runtime = KeelRuntime.open(cfg, clock, clock, new PrintStream(PrintStream.nullOutputStream()), 42, Map.of(),
                prometheus);
        ServeSettings settings = cfg.serve();
        api = KeelApi.start(runtime, prometheus, settings, TOKEN, ready::get, clock);
    }

    @AfterEach
    void stop() {
        api.close();
        runtime.close();
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + api.port() + path);
    }

    JsonNode body(HttpResponse<String> r) throws IOException {
        return json.readTree(r.body());
    }

    /** The standard error response: code, category, severity, message, suggestion, correlation id, timestamp. */
    void assertError(HttpResponse<String> r, int status, String code) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        JsonNode e = body(r).get("error");
        assertThat(e.get("code").asText()).isEqualTo(code);
        for (String field : List.of("category", "severity", "message", "suggestion", "correlation_id", "timestamp")) {
            assertThat(e.hasNonNull(field)).as(field + " in " + r.body()).isTrue();
        }
        assertThat(r.body()).doesNotContain("Exception", "\tat ", TOKEN);
    }

    @Test
    void healthNeedsNoTokenAndReadinessWaitsForRecovery() throws Exception {
        ready.set(false);
        assertThat(get("/health/live", null).statusCode()).isEqualTo(200);
        HttpResponse<String> starting = get("/health/ready", null);
        assertThat(starting.statusCode()).isEqualTo(503);
        assertThat(body(starting).get("status").asText()).isEqualTo("not ready");
        assertError(post("/api/accounts/main/rebalance", "k-1", null), 409, "REQUEST_REFUSED");

        ready.set(true);
        HttpResponse<String> up = get("/health/ready", null);
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
        assertThat(body(up).get("checks")).extracting(c -> c.get("name").asText())
                .containsExactlyInAnyOrder("recovery", "journal", "broker:main");
    }

    @Test
    void everyApiCallNeedsTheTokenAndAWrongOneSaysNothingOfIt() throws Exception {
        assertError(get("/api/accounts", null), 401, "UNAUTHORIZED");
        assertError(get("/api/accounts", "not-the-token"), 401, "UNAUTHORIZED");
        assertError(get("/api/accounts", TOKEN + "x"), 401, "UNAUTHORIZED");
        HttpResponse<String> ok = get("/api/accounts", TOKEN);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(body(ok).get("accounts").get(0).get("account").asText()).isEqualTo("main");
    }

    @Test
    void aRebalanceRunsOncePerIdempotencyKeyAndItsTransactionIsReadableInSnakeCase() throws Exception {
        assertError(post("/api/accounts/main/rebalance", null, null), 400, "USAGE_INVALID");

        HttpResponse<String> first = post("/api/accounts/main/rebalance", "key-1", null);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String txId = body(first).get("transaction_id").asText();
        assertThat(body(first).get("status").asText()).isIn("COMPLETED", "PARTIAL");

        HttpResponse<String> again = post("/api/accounts/main/rebalance", "key-1", null);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(runtime.journal().recentTransactions(10, "main")).hasSize(1);
        assertError(post("/api/accounts/main/halt", "key-1", "{\"reason\":\"drill\"}"), 409, "REQUEST_REFUSED");

        // the server restarts and forgets its answers: the journal still knows the key's rebalance
        api.close();
        api = KeelApi.start(runtime, prometheus, runtime.config().serve(), TOKEN, ready::get, clock);
        HttpResponse<String> afterRestart = post("/api/accounts/main/rebalance", "key-1", null);
        assertThat(afterRestart.statusCode()).as(afterRestart.body()).isEqualTo(200);
        assertThat(afterRestart.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(body(afterRestart).get("transaction_id").asText()).isEqualTo(txId);
        assertThat(body(afterRestart).get("status").asText()).isEqualTo(body(first).get("status").asText());
        assertThat(body(afterRestart).get("executed_orders")).isEqualTo(body(first).get("executed_orders"));
        assertThat(runtime.journal().recentTransactions(10, "main")).as("the repeat ran nothing").hasSize(1);

        HttpResponse<String> list = get("/api/transactions?account=main", TOKEN);
        assertThat(body(list).get("transactions").get(0).get("transaction_id").asText()).isEqualTo(txId);
        HttpResponse<String> one = get("/api/transactions/" + txId, TOKEN);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(body(one).get("transaction_id").asText()).isEqualTo(txId);
        assertThat(body(one).has("recovery_story")).isTrue();
        for (HttpResponse<String> r : List.of(first, list, one)) {
            assertThat(r.body()).doesNotContainPattern("\"[a-z]+[A-Z][A-Za-z]*\"\\s*:"); // no camelCase key
        }
        assertError(get("/api/transactions/no-such-tx", TOKEN), 404, "UNKNOWN_ID");
        assertError(get("/api/accounts/nobody", TOKEN), 404, "UNKNOWN_ID");
    }

    @Test
    void aDryRunSendsNothing() throws Exception {
        HttpResponse<String> r = post("/api/accounts/main/rebalance?dry_run=true", "dry-1", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(body(r).get("plan")).isNotNull();
        assertThat(runtime.journal().recentTransactions(10, "main")).isEmpty();
    }

    @Test
    void haltAndResumeChangeTheTradingStateAndAReasonIsRequired() throws Exception {
        assertError(post("/api/accounts/main/halt", "h-0", "{not json"), 400, "USAGE_INVALID");
        assertError(post("/api/accounts/main/halt", "h-1", "{\"reason\": \"\"}"), 400, "USAGE_INVALID");
        HttpResponse<String> halted = post("/api/accounts/main/halt", "h-2", "{\"reason\": \"drill\"}");
        assertThat(halted.statusCode()).as(halted.body()).isEqualTo(200);
        assertThat(runtime.engine().status("main").state().name()).isEqualTo("HALTED");
        HttpResponse<String> resumed = post("/api/accounts/main/resume", "r-1", "{\"reason\": \"drill over\"}");
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
        assertThat(runtime.engine().status("main").state().name()).isEqualTo("ACTIVE");
    }

    /**
     * A status filter is a full page when enough such transactions exist, however many others came after them: the
     * list read 20 times its page and filtered that, so a review older than 20 newer transactions was not listed.
     */
    @Test
    void aStatusFilterFindsTransactionsBehindManyOthers() throws Exception {
        Instant at = clock.instant();
        runtime.journal().append(JournalSamples.started("tx-review", "main", at));
        runtime.journal().append(JournalSamples.ended("tx-review", "main", TransactionStatus.NEEDS_REVIEW, at));
        for (int i = 0; i < 25; i++) {
            runtime.journal().append(JournalSamples.started("tx-done-" + i, "main", at.plusSeconds(i + 1)));
            runtime.journal().append(JournalSamples.ended("tx-done-" + i, "main", TransactionStatus.COMPLETED,
                    at.plusSeconds(i + 1)));
        }

        JsonNode review = body(get("/api/transactions?status=needs_review&limit=1", TOKEN)).get("transactions");
        assertThat(review).hasSize(1);
        assertThat(review.get(0).get("transaction_id").asText()).isEqualTo("tx-review");
        assertThat(review.get(0).get("status").asText()).isEqualTo("NEEDS_REVIEW");
        JsonNode done = body(get("/api/transactions?status=COMPLETED&limit=3&account=main", TOKEN))
                .get("transactions");
        assertThat(done).extracting(t -> t.get("transaction_id").asText())
                .containsExactly("tx-done-24", "tx-done-23", "tx-done-22");
        assertThat(body(get("/api/transactions?status=PARTIAL", TOKEN)).get("transactions")).isEmpty();
    }

    @Test
    void badRequestsGetTheStandardErrorResponse() throws Exception {
        assertError(get("/api/nowhere", TOKEN), 404, "UNKNOWN_ID");
        assertError(get("/api/transactions?limit=0", TOKEN), 400, "USAGE_INVALID");
        assertError(get("/api/transactions?limit=lots", TOKEN), 400, "USAGE_INVALID");
        assertError(get("/api/transactions?status=SOMETIMES", TOKEN), 400, "USAGE_INVALID");
        String big = "{\"reason\": \"" + "x".repeat(70_000) + "\"}";
        HttpResponse<String> tooBig = post("/api/accounts/main/halt", "big-1", big);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(runtime.engine().status("main").state().name()).isEqualTo("ACTIVE");
    }

    /** A dead letter of the configured event source, seen, resolved with a note (journaled) through the API. */
    @Test
    void deadLettersAreListedAndResolvedWithANoteThatIsJournaled() throws Exception {
        try (var source = runtime.events("test")) {
            source.push("ev-bad-1", "main", "{\"event_id\": \"ev-bad-1\"}");
            var delivery = source.take(java.time.Duration.ofMinutes(1)).orElseThrow();
            source.deadLetter(delivery, new dev.keel.core.events.Failure(dev.keel.core.error.ErrorCode.EVENT_INVALID,
                    "no type"));
        }
        HttpResponse<String> list = get("/api/dead-letters", TOKEN);
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(body(list).get("dead_letters").get(0).get("event_id").asText()).isEqualTo("ev-bad-1");
        assertError(post("/api/dead-letters/ev-bad-1/resolve", "d-1", "{}"), 400, "USAGE_INVALID");
        HttpResponse<String> resolved = post("/api/dead-letters/ev-bad-1/resolve", "d-2",
                "{\"note\": \"sender fixed\", \"by\": \"ops\"}");
        assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(200);
        assertThat(body(resolved).get("resolved_by").asText()).isEqualTo("ops");
        assertThat(runtime.journal().lastSequence()).isPositive();
        assertError(get("/api/dead-letters/nope", TOKEN), 404, "UNKNOWN_ID");
    }

    @Test
    void metricsArePrometheusTextWithKeelAndHttpMeters() throws Exception {
        post("/api/accounts/main/rebalance", "m-1", null);
        HttpResponse<String> r = get("/metrics", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("keel_transactions", "http_server_requests_seconds_count");
    }

    @Test
    void theErrorCatalogListsEveryCodeWithItsRunbook() throws Exception {
        JsonNode errors = body(get("/api/errors", TOKEN)).get("errors");
        assertThat(errors.size()).isEqualTo(dev.keel.core.error.ErrorCode.values().length);
        assertThat(errors.get(0).has("runbook")).isTrue();
    }

    /** Two callers on one account through the API at once: one rebalance trades, the other finds it held or done. */
    @Test
    void twoRebalancesOfOneAccountAtOnceTradeOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (String key : List.of("a", "b")) {
                Callable<HttpResponse<String>> call = () -> {
                    go.await();
                    return post("/api/accounts/main/rebalance", key, null);
                };
                calls.add(pool.submit(call));
            }
            go.countDown();
            List<String> statuses = new ArrayList<>();
            for (Future<HttpResponse<String>> f : calls) {
                HttpResponse<String> r = f.get();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                statuses.add(body(r).get("status").asText());
            }
            long withOrders = runtime.journal().recentTransactions(10, "main").stream()
                    .filter(t -> !runtime.journal().stream(t.txId()).stream()
                            .filter(rec -> rec.event() instanceof dev.keel.core.journal.OrderIntentRecorded)
                            .toList().isEmpty())
                    .count();
            assertThat(withOrders).as(statuses.toString()).isEqualTo(1);
            assertThat(runtime.paper().orderLog()).extracting(o -> o.clientOrderId()).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }

    static final com.atlassian.oai.validator.OpenApiInteractionValidator OPENAPI = com.atlassian.oai.validator
            .OpenApiInteractionValidator.createForInlineApiSpecification(KeelApi.OPENAPI).build();

    /** What the OpenAPI document says is wrong with this exchange; empty when it allows it. */
    static List<String> problems(String method, String path, String query, Map<String, String> headers,
                                 String requestBody, HttpResponse<String> response) {
        var request = new com.atlassian.oai.validator.model.SimpleRequest.Builder(method, path);
        headers.forEach(request::withHeader);
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                request.withQueryParam(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        if (requestBody != null) {
            request.withBody(requestBody);
        }
        var answer = com.atlassian.oai.validator.model.SimpleResponse.Builder.status(response.statusCode())
                .withContentType(response.headers().firstValue("Content-Type").orElse("application/json")
                        .replace(";charset=utf-8", "").replace("; charset=utf-8", ""))
                .withBody(response.body()).build();
        var report = OPENAPI.validate(request.build(), answer);
        return report.getMessages().stream()
                .filter(m -> m.getLevel() == com.atlassian.oai.validator.report.ValidationReport.Level.ERROR)
                .map(m -> method + " " + path + " -> " + response.statusCode() + ": " + m.getMessage()).toList();
    }

    /** Every route, its answers and its errors, checked against the document the server publishes. */
    @Test
    void everyRouteAnswersAsTheOpenApiDocumentSays() throws Exception {
        List<String> problems = new ArrayList<>();
        Map<String, String> auth = Map.of("Authorization", "Bearer " + TOKEN);
        for (String path : List.of("/health/live", "/health/ready", "/api/openapi.json")) {
            problems.addAll(problems("GET", path, null, Map.of(), null, get(path, null)));
        }
        HttpResponse<String> rebalance = post("/api/accounts/main/rebalance", "oa-1", null);
        String txId = body(rebalance).get("transaction_id").asText();
        problems.addAll(problems("POST", "/api/accounts/main/rebalance", null,
                Map.of("Authorization", "Bearer " + TOKEN, "Idempotency-Key", "oa-1"), null, rebalance));
        for (String path : List.of("/api/health", "/api/accounts", "/api/accounts/main", "/api/transactions",
                "/api/transactions/" + txId, "/api/operations", "/api/orders/in-flight", "/api/breakers",
                "/api/outbox", "/api/alerts", "/api/errors", "/api/transactions/nope", "/api/accounts/nobody",
                "/api/dead-letters", "/api/dead-letters/nope")) {
            String[] parts = path.split("\\?", 2);
            problems.addAll(problems("GET", parts[0], parts.length > 1 ? parts[1] : null, auth, null,
                    get(path, TOKEN)));
        }
        // a request the document forbids: only its answer is checked (the standard error response)
        problems.addAll(problems("GET", "/api/transactions", null, auth, null,
                get("/api/transactions?limit=0", TOKEN)));
        problems.addAll(problems("GET", "/api/accounts", null, Map.of(), null, get("/api/accounts", null)));
        String halt = "{\"reason\": \"contract\"}";
        problems.addAll(problems("POST", "/api/accounts/main/halt", null,
                Map.of("Authorization", "Bearer " + TOKEN, "Idempotency-Key", "oa-2", "Content-Type",
                        "application/json"), halt, post("/api/accounts/main/halt", "oa-2", halt)));
        problems.addAll(problems("POST", "/api/accounts/main/resume", null,
                Map.of("Authorization", "Bearer " + TOKEN, "Idempotency-Key", "oa-3", "Content-Type",
                        "application/json"), halt, post("/api/accounts/main/resume", "oa-3", halt)));
        problems.addAll(problems("POST", "/api/accounts/main/reconcile", null,
                Map.of("Authorization", "Bearer " + TOKEN, "Idempotency-Key", "oa-4"), null,
                post("/api/accounts/main/reconcile", "oa-4", null)));
        problems.addAll(problems("POST", "/api/breakers/main/submit/reset", null,
                Map.of("Authorization", "Bearer " + TOKEN, "Idempotency-Key", "oa-5"), null,
                post("/api/breakers/main/submit/reset", "oa-5", null)));
        assertThat(problems).isEmpty();
    }

    /** The check bites: a transaction row with a camelCase key, or an error without its code, is refused. */
    @Test
    void theOpenApiCheckRefusesAnAnswerOutsideTheDocument() throws Exception {
        HttpResponse<String> real = get("/api/transactions", TOKEN);
        HttpResponse<String> camel = new FakeResponse(200, "{\"transactions\": [{\"txId\": \"t\", \"account\": "
                + "\"main\", \"operation\": \"rebalance\", \"started_at\": \"2026-11-23T15:00:00Z\"}]}", real);
        assertThat(problems("GET", "/api/transactions", null, Map.of("Authorization", "Bearer " + TOKEN), null,
                camel)).isNotEmpty();
        HttpResponse<String> bare = new FakeResponse(401, "{\"error\": {\"message\": \"no\"}}", real);
        assertThat(problems("GET", "/api/transactions", null, Map.of(), null, bare)).isNotEmpty();
    }

    /** A response with another status and body than the real one it copies its headers from. */
    record FakeResponse(int statusCode, String body, HttpResponse<String> real) implements HttpResponse<String> {
        @Override
        public HttpRequest request() {
            return real.request();
        }

        @Override
        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return real.headers();
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return java.util.Optional.empty();
        }

        @Override
        public URI uri() {
            return real.uri();
        }

        @Override
        public HttpClient.Version version() {
            return real.version();
        }
    }
}
