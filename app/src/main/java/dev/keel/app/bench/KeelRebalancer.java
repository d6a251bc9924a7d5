package dev.keel.app.bench;

import dev.keel.alpaca.AlpacaBroker;
import dev.keel.alpaca.AlpacaKeys;
import dev.keel.alpaca.AlpacaSettings;
import dev.keel.core.broker.Broker;
import dev.keel.core.engine.AccountRuntime;
import dev.keel.core.engine.Engine;
import dev.keel.core.execution.BreakerPolicy;
import dev.keel.core.execution.BrokerGateway;
import dev.keel.core.execution.ExecutionSettings;
import dev.keel.core.execution.OrderExecutor;
import dev.keel.core.execution.OrderResult;
import dev.keel.core.journal.Journal;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.notify.Notification;
import dev.keel.core.notify.NotificationChannel;
import dev.keel.core.notify.Outbox;
import dev.keel.core.rebalance.ProgressListener;
import dev.keel.core.rebalance.RebalanceOutcome;
import dev.keel.core.time.Sleeper;
import dev.keel.paper.PaperExchange;
import dev.keel.paper.server.KeyRing;
import dev.keel.paper.server.PaperServer;
import dev.keel.paper.server.ServerSettings;
import dev.keel.store.Journals;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keel as production wires it (see KeelRuntime): a durable SQLite journal file, a circuit breaker and retry policy
 * per account, the engine with its account locks and start-up checks, and the outbox delivering every rebalance's
 * notification to a channel that drops it (so the outbox does its journaling, without console output).
 *
 * <p>The broker is the in-memory paper exchange, called in process, or ({@link #ALPACA_HTTP}) the same exchange
 * served in Alpaca's shape by a {@link PaperServer} on a loopback port and reached through the Alpaca adapter: one key
 * per account (so each has Alpaca's own budget of 200 requests a minute), one shared HTTP client.
 */
final class KeelRebalancer implements Rebalancer {
    /** The in-process broker. */
    static final String PAPER = "paper";
    /** The Alpaca adapter over loopback HTTP to the served paper exchange. */
    static final String ALPACA_HTTP = "alpaca-http";

    private final Journal journal;
    private final PaperExchange exchange;
    private final Engine engine;
    private final PaperServer server;
    private final HttpClient client;

    KeelRebalancer(Path dir, List<String> accountIds, long seed) {
        this(dir, accountIds, seed, PAPER);
    }

    KeelRebalancer(Path dir, List<String> accountIds, long seed, String brokerKind) {
        Clock clock = Clock.systemUTC();
        Sleeper sleeper = Sleeper.system();
        SplittableRandom random = new SplittableRandom(seed);
        this.journal = Journals.open("sqlite:" + dir.resolve("journal.db"), clock);
        this.exchange = new PaperExchange(Portfolio.inMemoryExchange(seed), clock, sleeper);
        AlpacaSettings alpaca = null;
        String secret = Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
        if (brokerKind.equals(ALPACA_HTTP)) {
            this.server = PaperServer.start(exchange, ServerSettings.builder(KeyRing.sharedSecret(secret)).port(0)
                    .streamPoll(Duration.ZERO).build(), clock);
            alpaca = AlpacaSettings.builder(server.url()).dataUrl(server.url()).build();
            this.client = AlpacaBroker.client(alpaca);
        } else if (brokerKind.equals(PAPER)) {
            this.server = null;
            this.client = null;
        } else {
            throw new IllegalArgumentException("broker must be " + PAPER + " or " + ALPACA_HTTP + ", but was "
                    + brokerKind);
        }
        ExecutionSettings settings = ExecutionSettings.defaults();
        BreakerPolicy breaker = BreakerPolicy.defaults();
        List<AccountRuntime> accounts = new ArrayList<>(accountIds.size());
        for (String id : accountIds) {
            Broker broker = alpaca == null ? exchange.broker(id)
                    : new AlpacaBroker(id, alpaca, new AlpacaKeys(id, secret), client, clock, sleeper);
            BrokerGateway gateway = new BrokerGateway(broker, breaker.create("paper:" + id, clock), settings.retry(),
                    sleeper, random.split());
            accounts.add(new AccountRuntime(Portfolio.account(id),
                    new OrderExecutor(gateway, settings, clock, sleeper, random.split())));
        }
        Outbox outbox = Outbox.builder(journal, clock, random.split()).channel(new Dropping()).build();
        AtomicLong txIds = new AtomicLong();
        this.engine = new Engine(journal, accounts, outbox, clock, () -> "rb-" + txIds.incrementAndGet(),
                Engine.DEFAULT_LOCK_TIMEOUT);
    }

    @Override
    public AccountResult rebalance(String accountId, Latencies orderLatencies) {
        OrderTimer timer = new OrderTimer(orderLatencies);
        RebalanceOutcome outcome = engine.rebalance(accountId, null, timer);
        int sent = (int) outcome.results().stream().filter(r -> r.status() != OrderResult.Status.SKIPPED).count();
        return new AccountResult(sent, outcome.status() == TransactionStatus.COMPLETED);
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                client.close();
                server.close();
            }
            exchange.close();
        } finally {
            journal.close();
        }
    }

    /** Times each order from just before its intent is journaled to its outcome; one per rebalance (one thread). */
    private static final class OrderTimer implements ProgressListener {
        private final Latencies latencies;
        private long started;

        OrderTimer(Latencies latencies) {
            this.latencies = latencies;
        }

        @Override
        public void orderStarted(PlannedOrder order) {
            started = System.nanoTime();
        }

        @Override
        public void orderFinished(OrderResult result) {
            latencies.add(System.nanoTime() - started);
        }
    }

    /** A notification channel that accepts everything and keeps nothing. */
    private static final class Dropping implements NotificationChannel {
        @Override
        public String name() {
            return "dropped";
        }

        @Override
        public void send(Notification notification) {
            // the benchmark measures the outbox's bookkeeping, not a terminal or a file
        }
    }
}
