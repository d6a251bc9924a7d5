package dev.keel.app;

import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.account.AccountStatus;
import dev.keel.core.account.StateChange;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.metrics.Health;
import dev.keel.core.model.TradingState;
import dev.keel.core.model.TransactionStatus;
import dev.keel.notify.alert.Alert;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The operators' web dashboard of {@code keel serve}, server-rendered HTML under {@code /ui} with one stylesheet
 * served by Keel (no CDN: it works offline): an overview (HEALTHY, WARNING or CRITICAL and why, accounts and their
 * trading states, breakers, in-flight orders, the outbox's backlog), transactions with filters and a detail page,
 * operations, a manual-review queue with halt and resume, and open alerts with acknowledge. Pages refresh by
 * themselves.
 *
 * <p>It needs the API's token once, at a login form; the session is a random id in a cookie ({@code HttpOnly},
 * {@code SameSite=Strict}, path {@code /ui}) that expires after 12 hours, and every form carries the session's CSRF
 * token, compared in constant time.
 */
final class Dashboard {
    static final String COOKIE = "keel_session";
    static final Duration SESSION_LIFE = Duration.ofHours(12);
    private static final int REFRESH_SECONDS = 10;

    private record Session(String csrf, Instant expires) {
    }

    private final KeelRuntime runtime;
    private final Clock clock;
    private final byte[] tokenHash;
    private final BooleanSupplier ready;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final byte[] css;

    Dashboard(KeelRuntime runtime, Clock clock, byte[] tokenHash, BooleanSupplier ready) {
        this.runtime = runtime;
        this.clock = clock;
        this.tokenHash = tokenHash;
        this.ready = ready;
        try (InputStream in = Dashboard.class.getResourceAsStream("dashboard.css")) {
            this.css = in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("the dashboard's stylesheet could not be read", e);
        }
    }

    void routes(JavalinConfig config) {
        config.routes.get("/", ctx -> ctx.redirect("/ui"));
        config.routes.get("/ui/assets/dashboard.css", ctx -> ctx.contentType("text/css; charset=utf-8")
                .header("Cache-Control", "max-age=3600").result(css));
        config.routes.get("/ui/login", ctx -> login(ctx, null));
        config.routes.post("/ui/login", this::signIn);
        config.routes.before("/ui/*", this::guard);
        config.routes.before("/ui", this::guard);
        config.routes.post("/ui/logout", this::signOut);
        config.routes.get("/ui", this::overview);
        config.routes.get("/ui/transactions", this::transactions);
        config.routes.get("/ui/transactions/{id}", this::transaction);
        config.routes.get("/ui/operations", this::operations);
        config.routes.get("/ui/review", this::review);
        config.routes.get("/ui/alerts", this::alerts);
        config.routes.post("/ui/accounts/{id}/halt", ctx -> move(ctx, true));
        config.routes.post("/ui/accounts/{id}/resume", ctx -> move(ctx, false));
        config.routes.post("/ui/alerts/{id}/ack", this::acknowledge);
        config.routes.get("/ui/dead-letters", this::deadLetters);
        config.routes.post("/ui/dead-letters/{id}/retry", this::retryDead);
        config.routes.post("/ui/dead-letters/{id}/resolve", this::resolveDead);
    }

    // ---- sessions -------------------------------------------------------------------------------------------------

    private void guard(Context ctx) {
        String path = ctx.path();
        if (path.equals("/ui/login") || path.startsWith("/ui/assets/")) {
            return;
        }
        if (session(ctx) == null) {
            ctx.redirect("/ui/login");
            ctx.skipRemainingHandlers();
        }
    }

    private Session session(Context ctx) {
        String id = ctx.cookie(COOKIE);
        if (id == null) {
            return null;
        }
        Session s = sessions.get(id);
        if (s == null || !clock.instant().isBefore(s.expires())) {
            sessions.remove(id);
            return null;
        }
        return s;
    }

    private void signIn(Context ctx) {
        String given = ctx.formParam("token");
        if (given == null || !MessageDigest.isEqual(KeelApi.sha256(given.strip()), tokenHash)) {
            ctx.status(401);
            login(ctx, "That is not this server's token.");
            return;
        }
        sessions.entrySet().removeIf(e -> !clock.instant().isBefore(e.getValue().expires()));
        String id = randomId();
        sessions.put(id, new Session(randomId(), clock.instant().plus(SESSION_LIFE)));
        ctx.header("Set-Cookie", COOKIE + "=" + id + "; Path=/ui; Max-Age=" + SESSION_LIFE.toSeconds()
                + "; HttpOnly; SameSite=Strict");
        ctx.redirect("/ui");
    }

    private void signOut(Context ctx) {
        checkCsrf(ctx);
        String id = ctx.cookie(COOKIE);
        if (id != null) {
            sessions.remove(id);
        }
        ctx.header("Set-Cookie", COOKIE + "=; Path=/ui; Max-Age=0; HttpOnly; SameSite=Strict");
        ctx.redirect("/ui/login");
    }

    private void checkCsrf(Context ctx) {
        Session s = session(ctx);
        String given = ctx.formParam("csrf");
        if (s == null || given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                s.csrf().getBytes(StandardCharsets.UTF_8))) {
            throw new KeelException(ErrorCode.REQUEST_REFUSED, "the form's CSRF token is missing or stale; reload "
                    + "the page and try again");
        }
    }

    private String randomId() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    // ---- pages ----------------------------------------------------------------------------------------------------

    private void login(Context ctx, String problem) {
        Page p = new Page("Sign in", null, false);
        p.add("<form class='login' method='post' action='/ui/login'>");
        p.add("<p>Keel's dashboard needs the API token: the one in <code>KEEL_API_TOKEN</code>, "
                + "<code>serve.token-file</code>, or the file <code>keel serve</code> named when it started.</p>");
        if (problem != null) {
            p.add("<p class='problem' id='login-problem'>" + h(problem) + "</p>");
        }
        p.add("<label>Token <input type='password' name='token' id='token' autocomplete='current-password' "
                + "autofocus></label> <button type='submit' id='sign-in'>Sign in</button></form>");
        html(ctx, p);
    }

    private void overview(Context ctx) {
        Page p = page(ctx, "Overview", true);
        Health.Report health = Health.assess(runtime.journal(), clock, Duration.ofHours(24), List.of());
        p.add("<section><h2>Keel is <span class='badge " + health.status().name().toLowerCase(Locale.ROOT)
                + "' id='health'>" + health.status() + "</span></h2>");
        if (!ready.getAsBoolean()) {
            p.add("<p class='problem'>Recovering what was in flight at start; acts wait until it is done.</p>");
        }
        if (health.findings().isEmpty()) {
            p.add("<p>Nothing needs attention in the last 24 hours.</p>");
        } else {
            Table t = new Table("", "Subject", "Why", "What to do");
            health.findings().forEach(f -> t.row(badge(f.status().name()), h(f.subject()), h(f.reason()),
                    h(f.recommendation())));
            p.add(t.html("findings"));
        }
        p.add("</section><section><h2>Accounts</h2>");
        Table accounts = new Table("Account", "Trading state", "Since", "Why", "Breaker", "Last rebalance");
        for (String id : runtime.engine().accountIds()) {
            AccountStatus s = runtime.engine().status(id);
            accounts.row(h(id), badge(s.state().name()), s.since() == null ? "" : h(s.since().toString()),
                    s.lastChange() == null ? "" : h(s.lastChange().reason()),
                    h(runtime.gateway(id).breaker().getState().name()),
                    s.lastRebalance() == null ? "never" : h(s.lastRebalance().toString()));
        }
        p.add(accounts.html("accounts"));
        p.add("</section><section><h2>Orders and notifications</h2>");
        Table m = new Table("Measure", "Now");
        m.row("In-flight orders", number(health.metrics().get("keel.orders.inflight")));
        m.row("Oldest in-flight order", number(health.metrics().get("keel.orders.inflight.age.max")) + " s");
        m.row("Orders of unknown outcome", number(health.metrics().get("keel.orders.unknown")));
        m.row("Notifications waiting in the outbox", Integer.toString(runtime.outbox().pending().size()));
        p.add(m.html("measures"));
        p.add("</section>");
        html(ctx, p);
    }

    private void transactions(Context ctx) {
        Page p = page(ctx, "Transactions", true);
        String account = blankToNull(ctx.queryParam("account"));
        String status = blankToNull(ctx.queryParam("status"));
        p.add("<form class='filters' method='get' action='/ui/transactions'><label>Account <select name='account'>"
                + "<option value=''>every one</option>");
        for (String id : runtime.engine().accountIds()) {
            p.add("<option" + (id.equals(account) ? " selected" : "") + ">" + h(id) + "</option>");
        }
        p.add("</select></label> <label>Status <select name='status'><option value=''>any</option>");
        for (TransactionStatus s : TransactionStatus.values()) {
            p.add("<option" + (s.name().equals(status) ? " selected" : "") + ">" + s + "</option>");
        }
        p.add("</select></label> <button type='submit' id='filter'>Show</button></form>");
        List<TransactionSummary> rows = recent(account == null ? null : runtime.accountId(account), 50,
                status(status));
        p.add(summaries(rows, "transactions"));
        html(ctx, p);
    }

    private void operations(Context ctx) {
        Page p = page(ctx, "Operations", true);
        p.add("<p>Order operations (brackets, OCO pairs, closes, cancels, modifications) and Keel's own "
                + "enforcements, newest first.</p>");
        p.add(summaries(OperationLog.newest(runtime.journal(), null, 50), "operations"));
        html(ctx, p);
    }

    private void transaction(Context ctx) {
        String id = ctx.pathParam("id");
        TransactionView view = TransactionView.fold(runtime.journal().stream(id));
        if (view.started() == null) {
            throw new KeelException(ErrorCode.UNKNOWN_ID, "no transaction '" + id + "' in the journal");
        }
        TransactionDocument d = TransactionDocument.of(view);
        Page p = page(ctx, "Transaction " + id, false);
        Table head = new Table("", "");
        head.row("Account", h(d.account()));
        head.row("Operation", h(d.operation()));
        head.row("Status", d.status() == null ? "IN PROGRESS" : badge(d.status().name())
                + (d.errorCode() == null ? "" : " " + h(d.errorCode().name())));
        head.row("Started", h(String.valueOf(d.timestamp())));
        head.row("Ended", d.endedAt() == null ? "" : h(d.endedAt().toString()));
        if (d.errorMessage() != null) {
            head.row("Error", h(d.errorMessage()));
        }
        if (d.reconciliationNotes() != null) {
            head.row("Reconciliation", h(d.reconciliationNotes()));
        }
        p.add(head.html("transaction"));
        if (!d.targetOrders().isEmpty()) {
            p.add("<h2>Plan</h2>");
            Table plan = new Table("Leg", "Planned amount");
            d.targetOrders().forEach((leg, amount) -> plan.row(h(leg), h(amount.toPlainString())));
            p.add(plan.html("plan"));
        }
        p.add("<h2>Orders</h2>");
        Table orders = new Table("Leg", "Side", "Ticker", "Amount", "Status", "Filled", "Retries", "Client order id",
                "Error");
        for (TransactionDocument.ExecutedOrder o : d.executedOrders()) {
            orders.row(h(o.leg()), h(o.side()), h(o.ticker()), h(o.amountUsd().toPlainString()),
                    badge(o.status().name()), h(o.filledQty().stripTrailingZeros().toPlainString()),
                    Integer.toString(o.retryCount()), h(o.clientOrderId()),
                    o.errorCode() == null ? "" : h(o.errorCode().name()));
        }
        p.add(orders.html("orders"));
        List<String> story = RecoveryStory.lines(view);
        if (!story.isEmpty()) {
            p.add("<h2>How Keel recovered it</h2><ol id='recovery'>");
            story.forEach(l -> p.add("<li>" + h(l) + "</li>"));
            p.add("</ol>");
        }
        html(ctx, p);
    }

    private void review(Context ctx) {
        Page p = page(ctx, "Review", true);
        Session s = session(ctx);
        p.add("<section><h2>Accounts</h2>");
        Table accounts = new Table("Account", "Trading state", "Why", "What to do", "Act");
        for (String id : runtime.engine().accountIds()) {
            AccountStatus st = runtime.engine().status(id);
            ErrorCode cause = st.lastChange() == null ? null : st.lastChange().cause();
            String todo = st.state() == TradingState.ACTIVE ? "" : cause == null
                    ? "Find out why it was stopped (the reason), then resume it." : h(cause.suggestion())
                    + " <a href='/api/errors'>" + h(cause.name()) + "</a>";
            boolean active = st.state() == TradingState.ACTIVE;
            String form = "<form method='post' action='/ui/accounts/" + h(id) + (active ? "/halt" : "/resume")
                    + "'><input type='hidden' name='csrf' value='" + h(s.csrf()) + "'><input name='reason' "
                    + "required placeholder='why, in a sentence' id='reason-" + h(id) + "'> <button type='submit' id='"
                    + (active ? "halt-" : "resume-") + h(id) + "'>" + (active ? "Halt" : "Resume") + "</button></form>";
            accounts.row(h(id), badge(st.state().name()), st.lastChange() == null ? "" : h(st.lastChange().reason()),
                    todo, form);
        }
        p.add(accounts.html("review-accounts"));
        p.add("</section><section><h2>Transactions that need a person</h2>");
        List<TransactionSummary> stuck = recent(null, 50, TransactionStatus.NEEDS_REVIEW);
        if (stuck.isEmpty()) {
            p.add("<p id='review-empty'>None: nothing is waiting for review.</p>");
        } else {
            p.add(summaries(stuck, "review-transactions"));
        }
        p.add("</section>");
        html(ctx, p);
    }

    private void alerts(Context ctx) {
        Page p = page(ctx, "Alerts", true);
        Session s = session(ctx);
        List<Alert> open = runtime.alerts().open();
        if (open.isEmpty()) {
            p.add("<p id='alerts-empty'>No open alerts.</p>");
        } else {
            Table t = new Table("Raised", "Severity", "Account", "What", "Status", "Tier", "Act");
            for (Alert a : open) {
                String act = a.status() == Alert.Status.OPEN ? "<form method='post' action='/ui/alerts/" + h(a.id())
                        + "/ack'><input type='hidden' name='csrf' value='" + h(s.csrf()) + "'><button type='submit'"
                        + " id='ack-" + h(a.id()) + "'>Acknowledge</button></form>" : h(a.acknowledged());
                t.row(h(a.raisedAt().toString()), badge(a.severity().name()), h(a.accountId()), h(a.title()),
                        h(a.status().name()), Integer.toString(a.tier()), act);
            }
            p.add(t.html("alerts"));
        }
        html(ctx, p);
    }

    private dev.keel.core.events.EventSource events;

    /** The configured event source, opened once for the dead-letter pages (a Redis source holds a connection). */
    private synchronized dev.keel.core.events.DeadLetters deadLetterStore() {
        if (events == null) {
            events = runtime.events(dev.keel.app.intake.Intake.defaultConsumer() + "-dashboard");
        }
        return events.deadLetters();
    }

    synchronized void close() {
        if (events != null) {
            events.close();
            events = null;
        }
    }

    private void deadLetters(Context ctx) {
        Page p = page(ctx, "Dead letters", true);
        Session s = session(ctx);
        p.add("<p>Events that failed for good (bad input, or retried until <code>events.max-deliveries</code>). "
                + "Retry sends one back to the workers; resolve says what was done (journaled, and shown by "
                + "<code>keel runbook</code> next time).</p>");
        var all = deadLetterStore().list();
        if (all.isEmpty()) {
            p.add("<p id='dead-letters-empty'>No dead letters.</p>");
        } else {
            Table t = new Table("Event", "Account", "Error", "Why", "Attempts", "Dead since", "Act");
            for (var d : all) {
                String act = d.resolvedAt() != null ? "resolved by " + h(d.resolvedBy()) + ": " + h(d.note())
                        : "<form method='post' action='/ui/dead-letters/" + h(d.messageId()) + "/retry'><input "
                        + "type='hidden' name='csrf' value='" + h(s.csrf()) + "'><button type='submit' id='retry-"
                        + h(d.messageId()) + "'>Retry</button></form><form method='post' action='/ui/dead-letters/"
                        + h(d.messageId()) + "/resolve'><input type='hidden' name='csrf' value='" + h(s.csrf())
                        + "'><input name='note' required placeholder='what was done' id='note-" + h(d.messageId())
                        + "'> <button type='submit' id='resolve-" + h(d.messageId()) + "'>Resolve</button></form>";
                t.row(h(d.messageId()), h(d.accountId()), d.code() == null ? "" : h(d.code().name()), h(d.reason()),
                        Integer.toString(d.attempts()), h(String.valueOf(d.deadAt())), act);
            }
            p.add(t.html("dead-letters"));
        }
        html(ctx, p);
    }

    private void retryDead(Context ctx) {
        checkCsrf(ctx);
        String id = ctx.pathParam("id");
        if (!deadLetterStore().retry(id)) {
            throw new KeelException(ErrorCode.REQUEST_REFUSED, "dead letter '" + id + "' could not be sent back: it "
                    + "is gone or resolved");
        }
        ctx.redirect("/ui/dead-letters");
    }

    private void resolveDead(Context ctx) {
        checkCsrf(ctx);
        String id = ctx.pathParam("id");
        String note = ctx.formParam("note");
        if (note == null || note.isBlank()) {
            throw new KeelException(ErrorCode.USAGE_INVALID, "say what was done: the note is journaled");
        }
        DlqCommand.resolve(runtime.journal(), deadLetterStore(), id, "dashboard", note, clock.instant());
        ctx.redirect("/ui/dead-letters");
    }

    // ---- acts -----------------------------------------------------------------------------------------------------

    private void move(Context ctx, boolean halt) {
        checkCsrf(ctx);
        String id = runtime.accountId(ctx.pathParam("id"));
        String reason = ctx.formParam("reason");
        if (reason == null || reason.isBlank()) {
            throw new KeelException(ErrorCode.USAGE_INVALID, "say why, in a sentence: the reason is journaled");
        }
        if (!ready.getAsBoolean()) {
            throw new KeelException(ErrorCode.REQUEST_REFUSED, "the server is still recovering; try again shortly");
        }
        StateChange change = halt ? runtime.engine().halt(id, "dashboard: " + reason.strip())
                : runtime.engine().resume(id, "dashboard: " + reason.strip());
        if (change.result() == StateChange.Result.REFUSED) {
            throw new KeelException(ErrorCode.REQUEST_REFUSED, change.message());
        }
        ctx.redirect("/ui/review");
    }

    private void acknowledge(Context ctx) {
        checkCsrf(ctx);
        runtime.alerts().acknowledge(ctx.pathParam("id"), "dashboard", null);
        ctx.redirect("/ui/alerts");
    }

    /** An error of a dashboard page: the standard error's message, in the page, with the right status. */
    boolean handles(Context ctx) {
        return ctx.path().equals("/ui") || ctx.path().startsWith("/ui/");
    }

    void error(Context ctx, ErrorCode code, String message, int status) {
        Page p = new Page("Something went wrong", null, false);
        p.add("<p class='problem' id='error'>" + h(code.name()) + ": " + h(message) + "</p><p>" + h(code.suggestion())
                + "</p><p><a href='/ui'>Back to the overview</a></p>");
        ctx.attribute("keel.answered", true);
        ctx.status(status);
        html(ctx, p);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /**
     * The newest {@code limit} transactions in {@code status} (null: in any). The journal checks the status before
     * the limit, so the page is full whenever enough such transactions exist.
     */
    private List<TransactionSummary> recent(String account, int limit, TransactionStatus status) {
        return status == null ? runtime.journal().recentTransactions(limit, account)
                : runtime.journal().recentTransactions(limit, account, status);
    }

    /** The status the form chose, or null for any (an unknown name too: the form offers only the known ones). */
    private static TransactionStatus status(String name) {
        for (TransactionStatus s : TransactionStatus.values()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private static String summaries(List<TransactionSummary> rows, String id) {
        if (rows.isEmpty()) {
            return "<p id='" + id + "-empty'>No transactions.</p>";
        }
        Table t = new Table("Transaction", "Started", "Account", "Operation", "Status", "Error");
        for (TransactionSummary s : rows) {
            t.row("<a href='/ui/transactions/" + h(s.txId()) + "'>" + h(s.txId()) + "</a>", h(s.startedAt().toString()),
                    h(s.accountId()), h(s.operation()), s.status() == null ? "IN PROGRESS" : badge(s.status().name()),
                    s.errorMessage() == null ? "" : h(s.errorMessage()));
        }
        return t.html(id);
    }

    private Page page(Context ctx, String title, boolean refresh) {
        Session s = session(ctx);
        return new Page(title, s == null ? null : s.csrf(), refresh);
    }

    private static void html(Context ctx, Page p) {
        ctx.contentType("text/html; charset=utf-8").header("Cache-Control", "no-store")
                .header("X-Frame-Options", "DENY").header("Content-Security-Policy",
                        "default-src 'self'; style-src 'self'; script-src 'none'; form-action 'self'; "
                                + "frame-ancestors 'none'")
                .result(p.render());
    }

    private static String badge(String word) {
        return "<span class='badge " + h(word.toLowerCase(Locale.ROOT)) + "'>" + h(word) + "</span>";
    }

    private static String number(Double v) {
        if (v == null) {
            return "0";
        }
        return v == Math.rint(v) ? Long.toString(v.longValue()) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** HTML-escapes text: every dynamic string on a page goes through it. */
    static String h(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A table whose cells are HTML already (escaped by the caller). */
    private static final class Table {
        private final String[] headers;
        private final List<String[]> rows = new ArrayList<>();

        Table(String... headers) {
            this.headers = headers;
        }

        void row(String... cells) {
            rows.add(cells);
        }

        String html(String id) {
            StringBuilder b = new StringBuilder("<table id='" + id + "'><thead><tr>");
            for (String hd : headers) {
                b.append("<th>").append(h(hd)).append("</th>");
            }
            b.append("</tr></thead><tbody>");
            for (String[] r : rows) {
                b.append("<tr>");
                for (String c : r) {
                    b.append("<td>").append(c).append("</td>");
                }
                b.append("</tr>");
            }
            return b.append("</tbody></table>").toString();
        }
    }

    /** A page in the dashboard's frame: navigation, sign-out, refresh. */
    private static final class Page {
        private final String title;
        private final String csrf;
        private final boolean refresh;
        private final StringBuilder body = new StringBuilder();

        Page(String title, String csrf, boolean refresh) {
            this.title = title;
            this.csrf = csrf;
            this.refresh = refresh;
        }

        void add(String html) {
            body.append(html).append('\n');
        }

        String render() {
            StringBuilder b = new StringBuilder("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
                    + "<meta name='viewport' content='width=device-width, initial-scale=1'>");
            if (refresh) {
                b.append("<meta http-equiv='refresh' content='").append(REFRESH_SECONDS).append("'>");
            }
            b.append("<title>").append(h(title)).append(" · Keel</title>")
                    .append("<link rel='stylesheet' href='/ui/assets/dashboard.css'></head><body><header>")
                    .append("<span class='brand'>Keel</span>");
            if (csrf != null) {
                b.append("<nav><a href='/ui' id='nav-overview'>Overview</a><a href='/ui/transactions' "
                        + "id='nav-transactions'>Transactions</a><a href='/ui/operations' id='nav-operations'>"
                        + "Operations</a><a href='/ui/review' id='nav-review'>Review</a><a href='/ui/alerts' "
                        + "id='nav-alerts'>Alerts</a><a href='/ui/dead-letters' id='nav-dead-letters'>Dead letters</a>"
                        + "</nav><form method='post' action='/ui/logout' class='logout'>"
                        + "<input type='hidden' name='csrf' value='").append(h(csrf))
                        .append("'><button type='submit' id='sign-out'>Sign out</button></form>");
            }
            b.append("</header><main><h1>").append(h(title)).append("</h1>").append(body)
                    .append("</main></body></html>");
            return b.toString();
        }
    }
}
