package dev.keel.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.app.config.ServeSettings;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import dev.keel.core.execution.BrokerGateway;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.metrics.Health;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.rebalance.RebalancePlan;
import dev.keel.core.risk.RiskCheck;
import dev.keel.core.reconcile.AccountCheck;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API of {@code keel serve} (Javalin): health and metrics for machines, the journal's accounts,
 * transactions and error catalog for people and dashboards, and the operator's acts (rebalance or dry-run, halt,
 * resume, reconcile), each of which is also a CLI command.
 *
 * <ul>
 *   <li>{@code /health/live}, {@code /health/ready} and {@code /metrics} (Prometheus text) need no token: they say
 *       nothing an operator's secret protects, and the server binds to 127.0.0.1 unless configured otherwise.</li>
 *   <li>Everything under {@code /api/} needs {@code Authorization: Bearer TOKEN}, compared in constant time.</li>
 *   <li>Every mutating call needs an {@code Idempotency-Key} ({@link IdempotencyKeys}): a repeat returns the first
 *       answer and does nothing again.</li>
 *   <li>Every error is the standard error response (code, category, severity, message, suggestion, correlation id,
 *       timestamp) with the HTTP status its code calls for, never a stack trace; JSON names are snake_case, as every
 *       {@code --json} output.</li>
 * </ul>
 */
final class KeelApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeelApi.class);
    static final String JSON = "application/json";
    /** The correlation id of a rebalance the API runs: this prefix and the call's Idempotency-Key. */
    static final String KEY_CORRELATION = "api:";

    /** The API's OpenAPI document (written as YAML beside this class), served as JSON. */
    static final String OPENAPI = openApi();

    private final Javalin app;
    private final Routes routes;

    private static String openApi() {
        try (var in = KeelApi.class.getResourceAsStream("openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the classpath");
            }
            var yaml = new com.fasterxml.jackson.databind.ObjectMapper(
                    new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
            return new ObjectMapper().writeValueAsString(yaml.readTree(in));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("openapi.yaml could not be read", e);
        }
    }

    private final Dashboard dashboard;

    private KeelApi(Javalin app, Routes routes, Dashboard dashboard) {
        this.app = app;
        this.routes = routes;
        this.dashboard = dashboard;
    }

    /** The server's port (the one picked when the settings asked for 0). */
    int port() {
        return app.port();
    }

    @Override
    public void close() {
        try {
            app.stop();
        } finally {
            routes.close();
            dashboard.close();
        }
    }

    /**
     * Starts serving. {@code ready} says whether start-up recovery has finished; until then {@code /health/ready}
     * answers 503 and acts are refused.
     */
    static KeelApi start(KeelRuntime runtime, PrometheusMeterRegistry prometheus, ServeSettings settings,
                         String token, BooleanSupplier ready, Clock clock) {
        Objects.requireNonNull(token, "token");
        Routes routes = new Routes(runtime, prometheus, ready, clock, new IdempotencyKeys(clock, Duration.ofHours(24),
                10_000), sha256(token));
        Dashboard dashboard = new Dashboard(runtime, clock, sha256(token), ready);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = settings.bind();
            config.jetty.port = settings.port();
            config.http.maxRequestSize = settings.maxBody();
            config.routes.before(ctx -> ctx.attribute("keel.started", System.nanoTime()));
            config.routes.before("/api/*", routes::authorize);
            config.routes.after(routes::measure);
            config.routes.get("/health/live", ctx -> routes.json(ctx, 200, Map.of("status", "live")));
            config.routes.get("/health/ready", routes::ready);
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(prometheus.scrape()));
            config.routes.get("/api/openapi.json", ctx -> ctx.contentType(JSON).result(OPENAPI));
            config.routes.get("/api/health", routes::health);
            config.routes.get("/api/accounts", routes::accounts);
            config.routes.get("/api/accounts/{id}", routes::account);
            config.routes.get("/api/transactions", routes::transactions);
            config.routes.get("/api/transactions/{id}", routes::transaction);
            config.routes.get("/api/errors", routes::errors);
            config.routes.get("/api/operations", routes::operations);
            config.routes.get("/api/operations/{id}", routes::operation);
            config.routes.get("/api/orders/in-flight", routes::inFlight);
            config.routes.get("/api/breakers", routes::breakers);
            config.routes.get("/api/outbox", routes::outbox);
            config.routes.get("/api/alerts", routes::alerts);
            config.routes.get("/api/dead-letters", routes::deadLetters);
            config.routes.get("/api/dead-letters/{id}", routes::deadLetter);
            config.routes.post("/api/dead-letters/{id}/retry", ctx -> routes.act(ctx, routes::retryDeadLetter));
            config.routes.post("/api/dead-letters/{id}/resolve", ctx -> routes.act(ctx, routes::resolveDeadLetter));
            config.routes.post("/api/operations/{id}/rollback", ctx -> routes.act(ctx, routes::rollback));
            config.routes.post("/api/transactions/{id}/rollback", ctx -> routes.act(ctx, routes::rollbackRebalance));
            config.routes.post("/api/breakers/{account}/{endpoint}/reset", ctx -> routes.act(ctx, routes::reset));
            config.routes.post("/api/alerts/{id}/ack", ctx -> routes.act(ctx, routes::acknowledge));
            config.routes.post("/api/alerts/{id}/resolve", ctx -> routes.act(ctx, routes::resolve));
            config.routes.post("/api/accounts/{id}/rebalance", ctx -> routes.act(ctx, routes::rebalance));
            config.routes.post("/api/accounts/{id}/halt", ctx -> routes.act(ctx, routes::halt));
            config.routes.post("/api/accounts/{id}/resume", ctx -> routes.act(ctx, routes::resume));
            config.routes.post("/api/accounts/{id}/reconcile", ctx -> routes.act(ctx, routes::reconcile));
            dashboard.routes(config);
            config.routes.exception(KeelException.class, (e, ctx) -> {
                if (dashboard.handles(ctx)) {
                    dashboard.error(ctx, e.code(), e.getMessage(), status(e.code()));
                } else {
                    routes.error(ctx, e.code(), e.getMessage());
                }
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("api: {} {} failed (correlation id {})", ctx.method(), ctx.path(), routes.correlation(ctx),
                        e);
                String message = "an internal error occurred; the server log has the details under correlation id "
                        + routes.correlation(ctx);
                if (dashboard.handles(ctx)) {
                    dashboard.error(ctx, ErrorCode.INTERNAL_ERROR, message, 500);
                } else {
                    routes.error(ctx, ErrorCode.INTERNAL_ERROR, message);
                }
            });
            config.routes.error(404, ctx -> {
                if (dashboard.handles(ctx) && !routes.answered(ctx)) {
                    ctx.attribute("keel.answered", true);
                    dashboard.error(ctx, ErrorCode.UNKNOWN_ID, "no such page: " + ctx.path(), 404);
                } else if (!routes.answered(ctx)) {
                    routes.error(ctx, ErrorCode.UNKNOWN_ID, "no such route: " + ctx.method() + " " + ctx.path());
                }
            });
            config.routes.error(405, ctx -> {
                if (!routes.answered(ctx)) {
                    routes.error(ctx, ErrorCode.USAGE_INVALID, ctx.method() + " is not allowed on " + ctx.path());
                }
            });
            config.routes.error(413, ctx -> {
                if (!routes.answered(ctx)) {
                    routes.error(ctx, ErrorCode.USAGE_INVALID, "the request body is larger than the limit of "
                            + settings.maxBody() + " bytes", 413);
                }
            });
        });
        app.start();
        return new KeelApi(app, routes, dashboard);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The HTTP status an error code calls for. */
    static int status(ErrorCode code) {
        return switch (code) {
            case UNKNOWN_ID, ORDER_NOT_FOUND -> 404;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case ACCOUNT_LOCKED, STREAM_MOVED, REQUEST_REFUSED, ACCOUNT_HALTED, ACCOUNT_REDUCING -> 409;
            case RATE_LIMITED -> 429;
            case INTERNAL_ERROR -> 500;
            case JOURNAL_UNAVAILABLE, JOURNAL_WRITE_FAILED, JOURNAL_CORRUPT, LEASE_LOST, BULKHEAD_FULL -> 503;
            default -> switch (code.category()) {
                case VALIDATION -> 400;
                case NETWORK, TIMEOUT, BROKER -> 502;
                default -> 500;
            };
        };
    }

    /** The standard error response over HTTP: {@link ErrorDocument} without the exit code. */
    record ApiError(@JsonProperty("error") ErrorDocument.Error error,
                    @JsonProperty("recovery") ErrorDocument.Recovery recovery) {
        static ApiError of(ErrorCode code, String message, String correlationId, Instant at) {
            ErrorDocument d = ErrorDocument.of(code, message, ErrorContext.of(null, null, correlationId), at, 0);
            return new ApiError(d.error(), d.recovery());
        }
    }

    /** One transaction with how Keel recovered it, line by line. */
    record TransactionDetail(@JsonUnwrapped TransactionDocument transaction,
                             @JsonProperty("recovery_story") List<String> recoveryStory) {
    }

    /** One entry of the error catalog. */
    record CatalogEntry(String code, String category, String severity, boolean retryable, String strategy,
                        String suggestion, String runbook) {
    }

    /** The handlers, with what they share. */
    private static final class Routes {
        private final KeelRuntime runtime;
        private final PrometheusMeterRegistry prometheus;
        private final BooleanSupplier ready;
        private final Clock clock;
        private final IdempotencyKeys keys;
        private final byte[] tokenHash;
        /** The --json shapes and names, written compact: indentation is for people at a terminal. */
        private final ObjectMapper json = Output.jsonMapper().copy()
                .disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

        Routes(KeelRuntime runtime, PrometheusMeterRegistry prometheus, BooleanSupplier ready, Clock clock,
               IdempotencyKeys keys, byte[] tokenHash) {
            this.runtime = runtime;
            this.prometheus = prometheus;
            this.ready = ready;
            this.clock = clock;
            this.keys = keys;
            this.tokenHash = tokenHash;
        }

        void authorize(Context ctx) {
            if (ctx.method() == HandlerType.OPTIONS || ctx.path().equals("/api/openapi.json")) {
                return;
            }
            String header = ctx.header("Authorization");
            String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? header.substring(7).strip() : "";
            // both sides hashed first: equal lengths, so the comparison's time says nothing of the token
            if (!MessageDigest.isEqual(sha256(given), tokenHash)) {
                ctx.header("WWW-Authenticate", "Bearer");
                throw new KeelException(ErrorCode.UNAUTHORIZED, header == null
                        ? "this call needs 'Authorization: Bearer TOKEN'; the token is where 'keel serve' said"
                        : "the bearer token is not this server's");
            }
        }

        void measure(Context ctx) {
            Long began = ctx.attribute("keel.started");
            if (began == null) {
                return;
            }
            var matched = ctx.endpoints().matchedHttpEndpoint();
            String route = matched == null ? "unmatched" : matched.path;
            Timer.builder("http.server.requests").tag("method", ctx.method().name()).tag("uri", route)
                    .tag("status", Integer.toString(ctx.statusCode())).register(prometheus)
                    .record(Duration.ofNanos(System.nanoTime() - began));
        }

        /** The brokers' part of readiness, kept this long: a probe every second must not spend the broker's rate limit. */
        static final Duration BROKER_PROBE_TTL = Duration.ofSeconds(10);

        private record BrokerProbes(Instant at, boolean ok, List<Map<String, Object>> checks) {
        }

        private volatile BrokerProbes probes;

        void ready(Context ctx) {
            List<Map<String, Object>> checks = new ArrayList<>();
            boolean ok = ready.getAsBoolean();
            checks.add(check("recovery", ok, ok ? "in-flight transactions recovered" : "recovering"));
            try {
                runtime.journal().recentTransactions(1, null);
                checks.add(check("journal", true, "readable"));
            } catch (RuntimeException e) {
                ok = false;
                checks.add(check("journal", false, e.getMessage()));
            }
            BrokerProbes b = brokerProbes();
            checks.addAll(b.checks());
            ok &= b.ok();
            json(ctx, ok ? 200 : 503, Map.of("status", ok ? "ready" : "not ready", "checks", checks));
        }

        /** Each account's broker asked for its account (reachable and authorised), at most every 10 s. */
        private BrokerProbes brokerProbes() {
            BrokerProbes b = probes;
            Instant now = clock.instant();
            if (b != null && now.isBefore(b.at().plus(BROKER_PROBE_TTL))) {
                return b;
            }
            synchronized (this) {
                b = probes;
                if (b != null && now.isBefore(b.at().plus(BROKER_PROBE_TTL))) {
                    return b;
                }
                boolean ok = true;
                List<Map<String, Object>> checks = new ArrayList<>();
                for (String id : runtime.engine().accountIds()) {
                    BrokerGateway gateway = runtime.gateway(id);
                    try {
                        gateway.read(gateway.broker()::account);
                        checks.add(check("broker:" + id, true, "reachable and authorised"));
                    } catch (BrokerException e) {
                        ok = false;
                        checks.add(check("broker:" + id, false, e.code() + ": " + e.getMessage()));
                    }
                }
                probes = new BrokerProbes(now, ok, List.copyOf(checks));
                return probes;
            }
        }

        private static Map<String, Object> check(String name, boolean ok, String detail) {
            return Map.of("name", name, "ok", ok, "detail", detail == null ? "" : detail);
        }

        void health(Context ctx) {
            Duration window = dev.keel.app.config.DurationFormat.parse(param(ctx, "window", "24h"))
                    .orElseThrow(() -> new KeelException(ErrorCode.USAGE_INVALID,
                            "window: expected a duration like 1h or 7d"));
            json(ctx, 200, Health.assess(runtime.journal(), clock, window, List.of()));
        }

        void accounts(Context ctx) {
            boolean check = Boolean.parseBoolean(param(ctx, "check", "false"));
            List<AccountDocument> docs = new ArrayList<>();
            for (String id : runtime.engine().accountIds()) {
                docs.add(document(id, check, 5));
            }
            json(ctx, 200, Map.of("accounts", docs));
        }

        void account(Context ctx) {
            String id = runtime.accountId(ctx.pathParam("id"));
            json(ctx, 200, document(id, true, limit(ctx, 20)));
        }

        private AccountDocument document(String id, boolean check, int recent) {
            AccountDocument.Check c = null;
            if (check) {
                BrokerGateway gateway = runtime.gateway(id);
                try {
                    AccountSnapshot now = gateway.read(gateway.broker()::account);
                    c = AccountDocument.Check.of(AccountCheck.compare(runtime.journal(), id, now,
                            gateway.read(gateway.broker()::openOrders)));
                } catch (BrokerException e) {
                    c = AccountDocument.Check.failed(e.code() + ": " + e.getMessage());
                }
            }
            return AccountDocument.of(runtime.engine().status(id), c, runtime.journal().recentTransactions(recent, id));
        }

        void transactions(Context ctx) {
            String account = ctx.queryParam("account");
            if (account != null) {
                account = runtime.accountId(account);
            }
            String status = ctx.queryParam("status");
            TransactionStatus wanted = null;
            if (status != null) {
                try {
                    wanted = TransactionStatus.valueOf(status.strip().toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new KeelException(ErrorCode.USAGE_INVALID, "status: expected one of "
                            + Arrays.toString(TransactionStatus.values()) + ", but was '" + status + "'");
                }
            }
            int limit = limit(ctx, 50);
            // the journal checks the status before the limit: the page is full whenever enough such transactions exist
            List<TransactionSummary> summaries = wanted == null ? runtime.journal().recentTransactions(limit, account)
                    : runtime.journal().recentTransactions(limit, account, wanted);
            json(ctx, 200, Map.of("transactions", summaries.stream().map(TxCommand.Row::of).toList()));
        }

        void transaction(Context ctx) {
            String id = ctx.pathParam("id");
            List<JournalRecord> records = runtime.journal().stream(id);
            TransactionView view;
            try {
                view = TransactionView.fold(records);
            } catch (RuntimeException unfoldable) {
                json(ctx, 200, TxCommand.Unfoldable.of(id, runtime.journal().transaction(id).orElse(null), records,
                        unfoldable));
                return;
            }
            if (view.started() == null) {
                throw new KeelException(ErrorCode.UNKNOWN_ID, "no transaction '" + id + "' in the journal");
            }
            json(ctx, 200, new TransactionDetail(TransactionDocument.of(view), RecoveryStory.lines(view)));
        }

        void errors(Context ctx) {
            List<CatalogEntry> entries = new ArrayList<>();
            for (ErrorCode c : ErrorCode.values()) {
                entries.add(new CatalogEntry(c.name(), c.category().name().toLowerCase(java.util.Locale.ROOT),
                        c.severity().name().toLowerCase(java.util.Locale.ROOT), c.retryable(),
                        c.strategy().name().toLowerCase(java.util.Locale.ROOT), c.suggestion(), c.runbook()));
            }
            json(ctx, 200, Map.of("errors", entries));
        }

        void operations(Context ctx) {
            String account = ctx.queryParam("account") == null ? null : runtime.accountId(ctx.queryParam("account"));
            List<OpsCommand.Row> rows = new ArrayList<>();
            for (TransactionSummary s : OperationLog.recent(runtime.journal(), account, limit(ctx, 50), x -> true)) {
                rows.add(new OpsCommand.Row(s.txId(), s.accountId(),
                        dev.keel.core.model.OperationType.ofOperation(s.operation()).orElseThrow(),
                        OperationLog.state(runtime.journal(), s), s.startedAt(), s.endedAt(), s.errorMessage()));
            }
            json(ctx, 200, Map.of("operations", rows));
        }

        void operation(Context ctx) {
            String id = ctx.pathParam("id");
            var view = OpsCommand.find(runtime.journal(), id);
            TransactionSummary summary = runtime.journal().transaction(id).orElseThrow();
            json(ctx, 200, OperationDocument.of(view, runtime.journal(),
                    OperationLog.rollbacksOf(runtime.journal(), summary)));
        }

        /** One order Keel has at the broker and not yet terminal, with how long it has been there. */
        record InFlight(String account, String transactionId, String clientOrderId, String brokerOrderId,
                        String symbol, String side, String state, Instant acceptedAt, Long ageSeconds) {
        }

        void inFlight(Context ctx) {
            List<InFlight> orders = new ArrayList<>();
            Instant now = clock.instant();
            for (String id : runtime.engine().accountIds()) {
                for (TransactionSummary s : runtime.journal().recentTransactions(200, id)) {
                    TransactionView view = TransactionView.fold(runtime.journal().stream(s.txId()));
                    for (var o : view.orders()) {
                        if (o.state().isLive() || o.state() == dev.keel.core.model.OrderState.UNKNOWN) {
                            Instant since = o.acceptedAt() != null ? o.acceptedAt() : o.lastAttemptAt();
                            orders.add(new InFlight(id, s.txId(), o.clientOrderId(), o.brokerOrderId(),
                                    o.spec().symbol().toString(), o.spec().side().name(), o.state().name(), since,
                                    since == null ? null : Duration.between(since, now).toSeconds()));
                        }
                    }
                }
            }
            json(ctx, 200, Map.of("orders", orders));
        }

        /** A circuit breaker of one account's connection, per endpoint. */
        record Breaker(String account, String endpoint, String state, String connection) {
        }

        void breakers(Context ctx) {
            List<Breaker> breakers = new ArrayList<>();
            for (String id : runtime.engine().accountIds()) {
                BrokerGateway gateway = runtime.gateway(id);
                for (var e : dev.keel.core.execution.Endpoint.values()) {
                    breakers.add(new Breaker(id, e.wire(), gateway.breaker(e).getState().name(),
                            gateway.active(e).name()));
                }
            }
            json(ctx, 200, Map.of("breakers", breakers));
        }

        IdempotencyKeys.Answer reset(Context ctx) {
            String id = runtime.accountId(ctx.pathParam("account"));
            dev.keel.core.execution.Endpoint endpoint = null;
            for (var e : dev.keel.core.execution.Endpoint.values()) {
                if (e.wire().equals(ctx.pathParam("endpoint"))) {
                    endpoint = e;
                }
            }
            if (endpoint == null) {
                throw new KeelException(ErrorCode.UNKNOWN_ID, "no endpoint '" + ctx.pathParam("endpoint")
                        + "': expected submit, cancel, lookup or reads");
            }
            var breaker = runtime.gateway(id).breaker(endpoint);
            String before = breaker.getState().name();
            breaker.reset();
            LOG.warn("api: the {} breaker of {} was reset by an operator (it was {})", endpoint.wire(), id, before);
            return answer(200, new Breaker(id, endpoint.wire(), breaker.getState().name(),
                    runtime.gateway(id).active(endpoint).name()));
        }

        /** A notification not yet settled: waiting for a channel, or retried. */
        record Pending(String notificationId, String account, String transactionId, String severity, String title,
                       Instant queuedAt, List<String> channels) {
        }

        void outbox(Context ctx) {
            List<Pending> pending = new ArrayList<>();
            for (var n : runtime.outbox().pending()) {
                pending.add(new Pending(n.id(), n.accountId(), n.txId(), n.severity().name(), n.title(), n.at(),
                        n.channels()));
            }
            json(ctx, 200, Map.of("pending", pending));
        }

        void alerts(Context ctx) {
            json(ctx, 200, Map.of("alerts", runtime.alerts().open()));
        }

        IdempotencyKeys.Answer acknowledge(Context ctx) {
            JsonNode body = ctx.body().isBlank() ? json.createObjectNode() : body(ctx);
            return answer(200, runtime.alerts().acknowledge(ctx.pathParam("id"), text(body, "by", "api"),
                    text(body, "note", null)));
        }

        IdempotencyKeys.Answer resolve(Context ctx) {
            JsonNode body = body(ctx);
            String note = text(body, "note", null);
            if (note == null || note.isBlank()) {
                throw new KeelException(ErrorCode.USAGE_INVALID, "the body must be {\"note\": \"what fixed it\"}: "
                        + "the note is journaled and shown by 'keel runbook' next time");
            }
            return answer(200, runtime.alerts().resolve(ctx.pathParam("id"), text(body, "by", "api"), note));
        }

        private static String text(JsonNode body, String field, String fallback) {
            JsonNode v = body.get(field);
            return v != null && v.isTextual() ? v.asText() : fallback;
        }

        IdempotencyKeys.Answer rollback(Context ctx) {
            OpsCommand.Rollback.Undo undo = OpsCommand.Rollback.undo(runtime.journal(), ctx.pathParam("id"));
            var outcome = runtime.engine().operate(undo.account(), undo.type(), undo.params(),
                    undo.params().rollbackOf());
            return answer(200, OperationReport.of(undo.type(), outcome, undo.params().rollbackOf(),
                    runtime.journal(), runtime.config().journalUrl()));
        }

        private dev.keel.core.events.EventSource events;

        /** The configured event source's dead letters, opened once (a Redis source holds a connection). */
        private synchronized dev.keel.core.events.DeadLetters deadLetterStore() {
            if (events == null) {
                events = runtime.events(dev.keel.app.intake.Intake.defaultConsumer() + "-api");
            }
            return events.deadLetters();
        }

        synchronized void close() {
            if (events != null) {
                events.close();
                events = null;
            }
        }

        private dev.keel.core.events.DeadLetter findDead(String id) {
            return deadLetterStore().find(id).orElseThrow(() -> new KeelException(ErrorCode.UNKNOWN_ID,
                    "no dead letter '" + id + "'"));
        }

        void deadLetters(Context ctx) {
            json(ctx, 200, Map.of("dead_letters", deadLetterStore().list().stream()
                    .map(d -> DlqCommand.DeadLetterDocument.of(d, false)).toList()));
        }

        void deadLetter(Context ctx) {
            json(ctx, 200, DlqCommand.DeadLetterDocument.of(findDead(ctx.pathParam("id")), true));
        }

        IdempotencyKeys.Answer retryDeadLetter(Context ctx) {
            String id = ctx.pathParam("id");
            findDead(id);
            if (!deadLetterStore().retry(id)) {
                throw new KeelException(ErrorCode.REQUEST_REFUSED, "dead letter '" + id + "' could not be sent back: "
                        + "it was retried or resolved meanwhile");
            }
            return answer(200, Map.of("event_id", id, "retried", true));
        }

        IdempotencyKeys.Answer resolveDeadLetter(Context ctx) {
            String id = ctx.pathParam("id");
            JsonNode body = body(ctx);
            String note = text(body, "note", null);
            if (note == null || note.isBlank()) {
                throw new KeelException(ErrorCode.USAGE_INVALID, "the body must be {\"note\": \"what was done\"}");
            }
            var resolved = DlqCommand.resolve(runtime.journal(), deadLetterStore(), id, text(body, "by", "api"), note,
                    clock.instant());
            return answer(200, DlqCommand.DeadLetterDocument.of(resolved, false));
        }

        IdempotencyKeys.Answer rollbackRebalance(Context ctx) {
            String id = ctx.pathParam("id");
            String account = TxCommand.undoable(runtime.journal(), id);
            var params = dev.keel.core.model.OperationParams.undoRebalance(id);
            var type = dev.keel.core.model.OperationType.REBALANCE_ROLLBACK;
            var outcome = runtime.engine().operate(account, type, params, id);
            return answer(200, OperationReport.of(type, outcome, id, runtime.journal(),
                    runtime.config().journalUrl()));
        }

        /** A mutating call: ready, keyed, run once per key; the answer is kept for a repeat of the key. */
        void act(Context ctx, java.util.function.Function<Context, IdempotencyKeys.Answer> action) {
            if (!ready.getAsBoolean()) {
                throw new KeelException(ErrorCode.REQUEST_REFUSED, "the server is still recovering in-flight "
                        + "transactions; /health/ready says when it is done");
            }
            String key = ctx.header("Idempotency-Key");
            if (key == null || key.isBlank() || key.length() > 200) {
                throw new KeelException(ErrorCode.USAGE_INVALID, "every mutating call needs an 'Idempotency-Key' "
                        + "header of 1-200 characters (a UUID, say), so that a retry does not act twice");
            }
            String fingerprint = ctx.method() + " " + ctx.path() + " " + ctx.queryString() + " "
                    + java.util.HexFormat.of().formatHex(sha256(ctx.body()));
            IdempotencyKeys.Answer answer = keys.run(key, fingerprint, () -> action.apply(ctx));
            if (answer.replayed()) {
                ctx.header("Idempotent-Replayed", "true");
            }
            ctx.status(answer.status()).contentType(JSON).result(answer.body());
        }

        IdempotencyKeys.Answer rebalance(Context ctx) {
            String id = runtime.accountId(ctx.pathParam("id"));
            if (Boolean.parseBoolean(param(ctx, "dry_run", "false"))) {
                RebalancePlan plan = runtime.engine().dryRun(id);
                RiskCheck risk = RiskCheck.check(plan, runtime.engine().account(id).account().risk());
                return answer(200, new RebalanceCommand.DryRun(id, plan, risk.violations())); // as --dry-run --json
            }
            // the call's key is the rebalance's correlation id, looked for in the journal under the account's
            // lease: a repeat of the key runs nothing even after this server restarted and forgot its answers
            var once = runtime.engine().rebalanceOnce(id, KEY_CORRELATION + ctx.header("Idempotency-Key"), null,
                    ProgressListener.NONE);
            if (once.earlier() != null) {
                return answer(200, RebalanceReport.of(id, once.earlier(), runtime.journal(),
                        runtime.config().journalUrl())).asReplay();
            }
            return answer(200, RebalanceReport.of(id, once.outcome(), runtime.journal(),
                    runtime.config().journalUrl()));
        }

        IdempotencyKeys.Answer halt(Context ctx) {
            String id = runtime.accountId(ctx.pathParam("id"));
            return answer(200, runtime.engine().halt(id, reason(ctx)));
        }

        IdempotencyKeys.Answer resume(Context ctx) {
            String id = runtime.accountId(ctx.pathParam("id"));
            var change = runtime.engine().resume(id, reason(ctx));
            return answer(change.result() == dev.keel.core.account.StateChange.Result.REFUSED ? 409 : 200, change);
        }

        IdempotencyKeys.Answer reconcile(Context ctx) {
            String id = runtime.accountId(ctx.pathParam("id"));
            return answer(200, AccountDocument.Check.of(runtime.engine().reconcile(id)));
        }

        /** The body's {@code reason}: required, a sentence. */
        private String reason(Context ctx) {
            JsonNode body = body(ctx);
            JsonNode reason = body.get("reason");
            if (reason == null || !reason.isTextual() || reason.asText().isBlank()) {
                throw new KeelException(ErrorCode.USAGE_INVALID, "the body must be {\"reason\": \"why, in a "
                        + "sentence\"}: the reason is journaled with the change and sent in its notification");
            }
            return reason.asText();
        }

        private JsonNode body(Context ctx) {
            String text = ctx.body();
            if (text.isBlank()) {
                throw new KeelException(ErrorCode.USAGE_INVALID, "the request needs a JSON body");
            }
            try {
                JsonNode node = json.readTree(text);
                if (node == null || !node.isObject()) {
                    throw new KeelException(ErrorCode.USAGE_INVALID, "the body must be a JSON object");
                }
                return node;
            } catch (JsonProcessingException e) {
                throw new KeelException(ErrorCode.USAGE_INVALID, "the body is not valid JSON: "
                        + e.getOriginalMessage());
            }
        }

        private IdempotencyKeys.Answer answer(int status, Object body) {
            try {
                return new IdempotencyKeys.Answer(status, json.writeValueAsString(body), false);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("an answer could not be written as JSON", e);
            }
        }

        private static String param(Context ctx, String name, String fallback) {
            String v = ctx.queryParam(name);
            return v == null || v.isBlank() ? fallback : v;
        }

        private static int limit(Context ctx, int fallback) {
            String v = ctx.queryParam("limit");
            if (v == null) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v.strip());
                if (n >= 1 && n <= 1000) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // answered below
            }
            throw new KeelException(ErrorCode.USAGE_INVALID, "limit: expected a number from 1 to 1000, but was '"
                    + v + "'");
        }

        /** The request's correlation id: the caller's {@code X-Correlation-Id}, else one made here. */
        String correlation(Context ctx) {
            String id = ctx.attribute("keel.correlation");
            if (id == null) {
                String given = ctx.header("X-Correlation-Id");
                id = given != null && given.matches("[A-Za-z0-9._:-]{1,100}") ? given
                        : java.util.UUID.randomUUID().toString();
                ctx.attribute("keel.correlation", id);
            }
            return id;
        }

        boolean answered(Context ctx) {
            return Boolean.TRUE.equals(ctx.attribute("keel.answered"));
        }

        void error(Context ctx, ErrorCode code, String message) {
            error(ctx, code, message, status(code));
        }

        void error(Context ctx, ErrorCode code, String message, int status) {
            ctx.attribute("keel.answered", true);
            json(ctx, status, ApiError.of(code, message, correlation(ctx), clock.instant()));
        }

        void json(Context ctx, int status, Object body) {
            try {
                ctx.status(status).contentType(JSON).result(json.writeValueAsString(body));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("an answer could not be written as JSON", e);
            }
        }
    }
}
