package dev.keel.app.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.app.Output;
import dev.keel.app.Table;
import dev.keel.app.ServeBench;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionStarted;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.TransactionStatus;
import dev.keel.store.Journals;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code keel bench api}: the REST API and dashboard of {@code keel serve} over loopback HTTP, on a SQLite journal
 * holding {@code --transactions} transactions. Requests leave at a steady rate (open loop: each one's latency counts
 * from the moment it was due, so a stall is not hidden by the requests that waited behind it), mixed over the read
 * routes an operator's screen and a monitoring system use; then the dashboard's pages one at a time.
 */
@Command(name = "api", description = "The REST API's p50/p99 at a steady request rate, and the dashboard's page "
        + "times, over a journal of N transactions.")
public final class ApiBenchCommand implements Callable<Integer> {
    @Option(names = "--transactions", paramLabel = "N", defaultValue = "100000",
            description = "Transactions in the journal (default: ${DEFAULT-VALUE}).")
    int transactions;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "1000",
            description = "Requests per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "10",
            description = "How long the steady load runs (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--json", description = "Print one JSON document on stdout instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** One route's figures. */
    record Row(@JsonProperty("route") String route, @JsonProperty("requests") int requests,
               @JsonProperty("errors") int errors, @JsonProperty("p50_ms") double p50,
               @JsonProperty("p99_ms") double p99, @JsonProperty("max_ms") double max) {
    }

    /** The whole result. */
    record Result(@JsonProperty("machine") Machine machine, @JsonProperty("transactions") int transactions,
                  @JsonProperty("rate") int rate, @JsonProperty("achieved_rate") double achievedRate,
                  @JsonProperty("api") List<Row> api, @JsonProperty("pages") List<Row> pages) {
    }

    private static final String TOKEN = "bench-token-0123456789abcdef";
    private static final int ACCOUNTS = 10;

    @Override
    public Integer call() throws Exception {
        if (transactions < 1 || transactions > 10_000_000) {
            throw new ParameterException(spec.commandLine(), "--transactions: expected 1 to 10000000");
        }
        if (rate < 1 || rate > 100_000 || seconds < 1 || seconds > 3600) {
            throw new ParameterException(spec.commandLine(), "--rate: 1 to 100000 and --seconds: 1 to 3600");
        }
        Output output = Output.of(spec, json);
        Path dir = Files.createTempDirectory("keel-bench-api");
        try {
            List<String> ids = fill(dir, output);
            try (ServeBench.Server server = ServeBench.start(dir, ACCOUNTS, TOKEN)) {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
                String base = "http://127.0.0.1:" + server.port();
                warm(http, base, ids);
                output.error("api: " + rate + " requests/s for " + seconds + " s...");
                Map<String, Latencies> latencies = new LinkedHashMap<>();
                Map<String, AtomicInteger> errors = new LinkedHashMap<>();
                double achieved = load(http, base, ids, latencies, errors);
                List<Row> api = new ArrayList<>();
                latencies.forEach((route, l) -> api.add(row(route, l, errors.get(route).get())));
                output.error("api: dashboard pages...");
                List<Row> pages = pages(http, base, ids);
                Result result = new Result(Machine.describe(), transactions, rate, achieved, api, pages);
                output.result(result, r -> {
                    output.line("Keel API on a journal of " + r.transactions() + " transactions, "
                            + r.rate() + " requests/s asked, " + String.format("%.0f", r.achievedRate()) + " sent");
                    Table t = new Table("ROUTE", "REQUESTS", "ERRORS", "P50 MS", "P99 MS", "MAX MS");
                    r.api().forEach(x -> t.row(x.route(), Integer.toString(x.requests()), Integer.toString(x.errors()),
                            ms(x.p50()), ms(x.p99()), ms(x.max())));
                    output.table(t);
                    output.line("");
                    Table p = new Table("PAGE", "LOADS", "ERRORS", "P50 MS", "P99 MS", "MAX MS");
                    r.pages().forEach(x -> p.row(x.route(), Integer.toString(x.requests()),
                            Integer.toString(x.errors()), ms(x.p50()), ms(x.p99()), ms(x.max())));
                    output.table(p);
                });
            }
        } finally {
            Folders.delete(dir);
        }
        return 0;
    }

    private static String ms(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    private static Row row(String route, Latencies l, int errors) {
        return new Row(route, l.count(), errors, l.percentile(50) / 1e6, l.percentile(99) / 1e6,
                l.percentile(100) / 1e6);
    }

    /** Writes the journal: {@code transactions} ended rebalances over the accounts, in batches. */
    private List<String> fill(Path dir, Output output) {
        List<String> ids = new ArrayList<>();
        Instant t0 = Instant.parse("2026-01-05T15:00:00Z");
        try (Journal journal = Journals.open("sqlite:" + dir.resolve("keel.db"), Clock.systemUTC())) {
            List<JournalEvent> batch = new ArrayList<>();
            for (int i = 0; i < transactions; i++) {
                String account = "a" + (i % ACCOUNTS);
                String tx = "tx-" + i;
                Instant at = t0.plusSeconds(i);
                batch.add(new TransactionStarted(tx, account, "rebalance", tx, List.of(),
                        new AccountSnapshot(account, BigDecimal.TEN, BigDecimal.TEN, List.of(), at), BigDecimal.ZERO,
                        at));
                batch.add(new TransactionEnded(tx, account, i % 50 == 0 ? TransactionStatus.PARTIAL
                        : TransactionStatus.COMPLETED, null, null, "every symbol within drift threshold", at));
                if (batch.size() >= 2000) {
                    journal.appendAll(batch);
                    batch.clear();
                    if ((i + 1) % 20_000 == 0) {
                        output.error("api: journal " + (i + 1) + " / " + transactions + " transactions");
                    }
                }
                if (i % Math.max(1, transactions / 1000) == 0) {
                    ids.add(tx);
                }
            }
            if (!batch.isEmpty()) {
                journal.appendAll(batch);
            }
        }
        return ids;
    }

    private static HttpRequest get(String base, String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TOKEN).GET()
                .build();
    }

    /** The JIT's first pass over every route, not measured. */
    private void warm(HttpClient http, String base, List<String> ids) throws Exception {
        for (int i = 0; i < 300; i++) {
            http.send(get(base, route(i % 4, ids, new SplittableRandom(i))), HttpResponse.BodyHandlers.discarding());
        }
    }

    private static final String[] ROUTES = {"GET /api/transactions?limit=50", "GET /api/transactions/{id}",
        "GET /api/accounts", "GET /health/ready"};

    private static String route(int kind, List<String> ids, SplittableRandom random) {
        return switch (kind) {
            case 0 -> "/api/transactions?limit=50";
            case 1 -> "/api/transactions/" + ids.get(random.nextInt(ids.size()));
            case 2 -> "/api/accounts";
            default -> "/health/ready";
        };
    }

    /** Sends the load; returns the rate at which requests actually left (the client may fall behind). */
    private double load(HttpClient http, String base, List<String> ids, Map<String, Latencies> latencies,
                        Map<String, AtomicInteger> errors) throws InterruptedException {
        for (String r : ROUTES) {
            latencies.put(r, new Latencies());
            errors.put(r, new AtomicInteger());
        }
        int total = rate * seconds;
        long interval = 1_000_000_000L / rate;
        SplittableRandom random = new SplittableRandom(42);
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        long start = System.nanoTime() + 50_000_000L;
        AtomicInteger sent = new AtomicInteger();
        {
            for (int i = 0; i < total; i++) {
                long due = start + i * interval;
                int kind = random.nextInt(10) < 4 ? 0 : random.nextInt(10) < 6 ? 1 : random.nextInt(2) == 0 ? 2 : 3;
                String path = route(kind, ids, random);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                sent.incrementAndGet();
                String name = ROUTES[kind];
                inFlight.add(http.sendAsync(get(base, path), HttpResponse.BodyHandlers.discarding())
                        .whenComplete((r, e) -> {
                            latencies.get(name).add(System.nanoTime() - due);
                            if (e != null || r.statusCode() != 200) {
                                errors.get(name).incrementAndGet();
                            }
                        }));
            }
            double sending = (System.nanoTime() - start) / 1e9;
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
            return sent.get() / sending;
        }
    }

    /** The dashboard's pages, one load at a time after signing in, each measured to its last byte. */
    private List<Row> pages(HttpClient http, String base, List<String> ids) throws Exception {
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/ui/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(TOKEN,
                        StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        String cookie = login.headers().firstValue("Set-Cookie").map(c -> c.substring(0, c.indexOf(';')))
                .orElseThrow(() -> new IllegalStateException("the dashboard did not sign the bench in"));
        List<Row> rows = new ArrayList<>();
        for (String page : List.of("/ui", "/ui/transactions", "/ui/transactions/" + ids.get(ids.size() / 2),
                "/ui/review")) {
            Latencies l = new Latencies();
            int failed = 0;
            for (int i = 0; i < 60; i++) {
                long t = System.nanoTime();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + page))
                        .header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (i >= 10) { // the first ten warm the page
                    l.add(System.nanoTime() - t);
                    failed += r.statusCode() == 200 ? 0 : 1;
                }
            }
            rows.add(row("GET " + page.replace(ids.get(ids.size() / 2), "{id}"), l, failed));
        }
        return rows;
    }
}
