package dev.keel.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.alpaca.AlpacaKeys;
import dev.keel.alpaca.TradeUpdate;
import dev.keel.alpaca.TradeUpdateStream;
import dev.keel.app.config.FaultSettings;
import dev.keel.app.config.KeelConfig;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.app.runtime.PaperSetup;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.rebalance.RebalanceOutcome;
import dev.keel.core.time.ManualClock;
import dev.keel.paper.ExchangeOrderLogEntry;
import dev.keel.paper.PaperExchange;
import dev.keel.paper.server.KeyRing;
import dev.keel.paper.server.PaperServer;
import dev.keel.paper.server.ServerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * {@code keel demo --scenario alpaca}: the All-Weather rebalance through Keel's Alpaca adapter, over real HTTP, against
 * a paper exchange the demo serves itself in Alpaca's shape on an ephemeral 127.0.0.1 port, with throwaway keys. The
 * server's fault plan acts at the HTTP layer: the answer to the GLD buy is lost after the order was taken (a dropped
 * connection), the IEF buy is answered 429 with Retry-After, and the {@code trade_updates} stream is cut, so the
 * stream must reconnect and backfill what it missed.
 *
 * <p>Keel and the served exchange share one simulated clock, as the outage demo does: the Retry-After and the waits
 * for fills take no time. The stream's reconnection runs on real time (it is the JDK's WebSocket), so the demo waits
 * for it, at most {@link #STREAM_WAIT}, after the rebalance; how many updates arrived live and how many by backfill
 * depends on when it reconnected, what is always true is that its last word on every order is the exchange's.
 */
final class AlpacaDemo {
    /** How long the demo waits for the stream to be listening, then to have caught up: far more than it needs. */
    static final Duration STREAM_WAIT = Duration.ofSeconds(30);
    /** The stream's first wait before reconnecting: short, so the demo does not linger. */
    static final Duration STREAM_BACKOFF = Duration.ofMillis(100);
    /** The stream's pings, by which it notices the cut: often, so the demo does not linger either. */
    static final Duration STREAM_HEARTBEAT = Duration.ofMillis(250);

    private static final Instant SIMULATED_START = Instant.parse("2026-11-23T15:00:00Z");

    private final Output output;
    private final Path dataDir;

    AlpacaDemo(Output output, Path dataDir) {
        this.output = output;
        this.dataDir = dataDir;
    }

    /**
     * What the trade_updates stream saw.
     *
     * @param connections      how many times it reached listening (more than 1: it was cut and came back)
     * @param liveUpdates      updates pushed by the server while connected
     * @param backfillUpdates  updates found by listing orders after a (re)connect
     * @param caughtUp         whether its last word on every order at the server is the server's own
     */
    record StreamReport(@JsonProperty("connections") long connections,
                        @JsonProperty("live_updates") int liveUpdates,
                        @JsonProperty("backfill_updates") int backfillUpdates,
                        @JsonProperty("caught_up") boolean caughtUp) {
    }

    /** The whole demo. */
    record Report(@JsonProperty("scenario") String scenario, @JsonProperty("server_url") String serverUrl,
                  @JsonProperty("faults") List<String> faults, @JsonProperty("rebalance") RebalanceReport rebalance,
                  @JsonProperty("stream") StreamReport stream,
                  @JsonProperty("orders_at_server") int ordersAtServer,
                  @JsonProperty("one_order_per_client_order_id") boolean oneOrderPerClientOrderId,
                  @JsonProperty("every_order_journaled") boolean everyOrderJournaled,
                  @JsonProperty("data_dir") Path dataDir) {
    }

    int run(boolean json) {
        KeelConfig served = KeelConfig.alpacaDemoServer(dataDir);
        List<String> faults = served.broker().paper().faults().stream()
                .map(f -> DemoCommand.describe(f) + " (" + meaning(f) + ")").toList();
        long seed = served.broker().paper().seed();
        ManualClock clock = new ManualClock(SIMULATED_START);
        // Throwaway keys: made up for this run, handed over in memory, gone with the process.
        String secret = UUID.randomUUID().toString();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keel-demo-stream");
            t.setDaemon(true);
            return t;
        });
        try (PaperExchange exchange = new PaperExchange(PaperSetup.config(served.broker().paper()), clock, clock)) {
            PaperServer server = PaperServer.start(exchange, ServerSettings.builder(KeyRing.sharedSecret(secret))
                    .port(0).streamPoll(Duration.ZERO).build(), clock);
            try {
                KeelConfig config = KeelConfig.alpacaDemo(dataDir, server.url());
                String account = config.accounts().get(0).id();
                introduce(served, server, faults);
                Map<String, String> env = Map.of(AlpacaKeys.KEY_ID_VARIABLE, account,
                        AlpacaKeys.SECRET_VARIABLE, secret);
                HeldConsole held = new HeldConsole(json ? System.err : System.out);
                Updates updates = new Updates();
                try (KeelRuntime runtime = KeelRuntime.open(config, clock, clock, held.stream(), seed, env)
                        .afterClose(held::release);
                     TradeUpdateStream stream = runtime.alpaca().tradeUpdates(updates, scheduler,
                             new SplittableRandom(seed), STREAM_BACKOFF, Duration.ofSeconds(1), STREAM_HEARTBEAT)) {
                    stream.start();
                    // Listening before the first order, so the fault plan's "second update" is the same on every run.
                    updates.await(() -> stream.state() == TradeUpdateStream.State.LISTENING);
                    RebalanceOutcome outcome = runtime.engine().rebalance(account, "demo-alpaca",
                            RebalanceReport.progress(output));
                    boolean caughtUp = updates.await(() -> stream.connections() > 1
                            && updates.agreesWith(exchange.orderLog()));
                    Report report = report(server, faults, account, outcome, runtime, exchange, stream, updates,
                            caughtUp);
                    print(report, config);
                }
            } finally {
                server.close();
            }
        } finally {
            scheduler.shutdownNow();
        }
        return ExitCodes.OK;
    }

    private Report report(PaperServer server, List<String> faults, String account, RebalanceOutcome outcome,
                          KeelRuntime runtime, PaperExchange exchange, TradeUpdateStream stream, Updates updates,
                          boolean caughtUp) {
        RebalanceReport rebalance = RebalanceReport.of(account, outcome, runtime.journal(),
                runtime.config().journalUrl());
        List<ExchangeOrderLogEntry> orders = exchange.orderLog();
        Map<String, Long> perId = orders.stream().collect(Collectors.groupingBy(ExchangeOrderLogEntry::clientOrderId,
                Collectors.counting()));
        Set<String> journaled = new HashSet<>();
        runtime.journal().replay(0, (JournalRecord r) -> {
            if (r.event() instanceof OrderIntentRecorded i) {
                journaled.add(i.clientOrderId());
            }
        });
        StreamReport seen = new StreamReport(stream.connections(), updates.count(TradeUpdate.Source.STREAM),
                updates.count(TradeUpdate.Source.BACKFILL), caughtUp);
        return new Report("alpaca", server.url().toString(), faults, rebalance, seen, orders.size(),
                perId.values().stream().allMatch(n -> n == 1), journaled.containsAll(perId.keySet()), dataDir);
    }

    private void print(Report report, KeelConfig config) {
        output.result(report, r -> {
            output.line("");
            r.rebalance().print(output);
            output.line("");
            output.line("The trade_updates stream:");
            StreamReport s = r.stream();
            output.line("  connected " + s.connections() + " times" + (s.connections() > 1
                    ? " (it was cut and came back)" : " (it was never cut back to listening)"));
            output.line("  " + s.liveUpdates() + " updates pushed live, " + s.backfillUpdates()
                    + " found by the backfill (orders listed since the last update seen)");
            output.line("  " + (s.caughtUp() ? "its last word on every order is the server's: no fill lost across the"
                    + " disconnect" : "it had not caught up within " + STREAM_WAIT.toSeconds() + " s; polling, which"
                    + " Keel relies on anyway, saw every order"));
            output.line("At the server: " + r.ordersAtServer() + " orders, "
                    + (r.oneOrderPerClientOrderId() ? "one per client order id" : "MORE THAN ONE for a client order id")
                    + ", " + (r.everyOrderJournaled() ? "every one journaled before it was sent."
                    : "SOME NOT JOURNALED."));
            output.line("");
            output.line("Look closer:  ./keel tx show " + r.rebalance().transactionId() + " --journal "
                    + config.journalUrl());
        });
    }

    private void introduce(KeelConfig served, PaperServer server, List<String> faults) {
        output.line("Keel demo: the All-Weather rebalance through Keel's Alpaca adapter, over HTTP, against a paper");
        output.line("exchange served in Alpaca's shape at " + server.url() + " (throwaway keys; simulated time).");
        output.line("");
        var paper = served.broker().paper();
        List<String> holdings = paper.positions().entrySet().stream().map(p -> p.getKey() + " "
                + p.getValue().toPlainString() + " @ " + paper.prices().get(p.getKey())).toList();
        output.line("Account '" + served.accounts().get(0).id() + "': cash $" + paper.cash().toPlainString() + ", "
                + String.join(", ", holdings));
        output.line("Faults the server will inject at the HTTP layer:");
        faults.forEach(f -> output.line("  - " + f));
        output.line("");
    }

    /** What a fault looks like to an HTTP client, in plain words. */
    private static String meaning(FaultSettings f) {
        return switch (f.kind().wire()) {
            case "timeout-after-accept" -> "the order is taken, then the connection dropped before the answer";
            case "rate-limited" -> "HTTP 429 with Retry-After";
            case "stream-drop" -> "the trade_updates connection is cut instead of sending that update";
            default -> "as the fault plan says";
        };
    }

    /** The stream's updates, the last state seen of each order; waited on by the demo's thread. */
    private static final class Updates implements dev.keel.alpaca.TradeUpdateListener {
        private final Map<String, dev.keel.core.model.OrderState> last = new HashMap<>();
        private final Map<TradeUpdate.Source, Integer> counts = new HashMap<>();

        @Override
        public synchronized void onUpdate(TradeUpdate update) {
            last.put(update.order().clientOrderId(), update.order().state());
            counts.merge(update.source(), 1, Integer::sum);
            notifyAll();
        }

        synchronized int count(TradeUpdate.Source source) {
            return counts.getOrDefault(source, 0);
        }

        /** Whether the last state seen of every order at the exchange is the exchange's. */
        synchronized boolean agreesWith(List<ExchangeOrderLogEntry> orders) {
            return orders.stream().allMatch(o -> o.state() == last.get(o.clientOrderId()));
        }

        /**
         * Waits until {@code condition} holds, at most {@link #STREAM_WAIT} of real time: the stream is the JDK's
         * WebSocket on its own threads. Checked on every update and every 50 ms (the stream's state changes without
         * an update).
         */
        boolean await(BooleanSupplier condition) {
            long deadline = System.nanoTime() + STREAM_WAIT.toNanos();
            synchronized (this) {
                while (!condition.getAsBoolean()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    try {
                        wait(Math.max(1, Math.min(50, left / 1_000_000)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
                return true;
            }
        }
    }
}
