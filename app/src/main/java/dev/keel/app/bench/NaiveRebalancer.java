package dev.keel.app.bench;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.PlannedOrder;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Side;
import dev.keel.core.model.Symbol;
import dev.keel.core.rebalance.RebalancePlan;
import dev.keel.core.rebalance.RebalancePlanner;
import dev.keel.core.rebalance.TargetAllocation;
import dev.keel.core.time.Sleeper;
import dev.keel.paper.PaperExchange;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The straightforward executor of the rebalancer document, for comparison: the same plan (Keel's planner, so both
 * send the same orders), then sells and buys straight to the broker, each retried up to 3 times on errors whose
 * message looks retryable, every outcome appended to a {@link NaiveTransactionLog} JSON file. No intent before the
 * submit, no circuit breaker, a fresh client order id per attempt: the shortcuts Keel exists to avoid.
 */
final class NaiveRebalancer implements Rebalancer {
    private static final int MAX_RETRIES = 3;
    private static final List<String> NOT_RETRYABLE = List.of("401", "403", "404", "400", "insufficient",
            "invalid symbol");

    private final PaperExchange exchange;
    private final Map<String, Broker> brokers = new ConcurrentHashMap<>();
    private final NaiveTransactionLog log;
    private final RebalancePlanner planner = new RebalancePlanner();
    private final TargetAllocation target = Portfolio.target();
    private final Sleeper sleeper = Sleeper.system();
    private final Clock clock = Clock.systemUTC();
    private final AtomicLong orderIds = new AtomicLong();

    NaiveRebalancer(Path dir, List<String> accountIds, long seed, boolean fsync) {
        this.exchange = new PaperExchange(Portfolio.inMemoryExchange(seed), clock, sleeper);
        accountIds.forEach(id -> brokers.put(id, exchange.broker(id)));
        this.log = new NaiveTransactionLog(dir.resolve("transactions"), fsync, clock);
    }

    @Override
    public AccountResult rebalance(String accountId, Latencies orderLatencies) {
        Broker broker = brokers.get(accountId);
        AccountSnapshot account = broker.account();
        TreeSet<Symbol> symbols = new TreeSet<>(target.weights().keySet());
        account.positions().forEach(p -> symbols.add(p.symbol()));
        Map<Symbol, Quote> quotes = new TreeMap<>();
        for (Symbol s : symbols) {
            quotes.put(s, broker.quote(s));
        }
        RebalancePlan plan = planner.plan(account, quotes, target);
        if (!plan.rebalanceNeeded()) {
            return new AccountResult(0, true);
        }
        Map<String, java.math.BigDecimal> targetOrders = new LinkedHashMap<>();
        plan.orders().forEach(o -> targetOrders.put(o.spec().symbol().value(),
                o.spec().side() == Side.SELL ? o.estimatedNotional().negate() : o.estimatedNotional()));
        String txId = log.begin("rebalance", targetOrders);
        List<PlannedOrder> orders = new ArrayList<>(plan.sells());
        orders.addAll(plan.buys());
        boolean allFilled = true;
        for (PlannedOrder order : orders) {
            long started = System.nanoTime();
            Map<String, Object> result = execute(broker, order);
            log.recordOrder(txId, result);
            orderLatencies.add(System.nanoTime() - started);
            allFilled &= "success".equals(result.get("status"));
        }
        log.complete(txId, allFilled ? "completed" : "partial", null);
        return new AccountResult(orders.size(), allFilled);
    }

    /** The document's {@code _execute_order}: quote, submit, retry on what the message suggests. */
    private Map<String, Object> execute(Broker broker, PlannedOrder order) {
        String lastError = null;
        for (int attempt = 0; attempt <= MAX_RETRIES; attempt++) {
            try {
                broker.quote(order.spec().symbol());
                BrokerOrder placed = broker.submit("naive-" + orderIds.incrementAndGet(), order.spec());
                return result(order, "success", placed.brokerOrderId(), null, attempt);
            } catch (BrokerException e) {
                lastError = e.getMessage();
                if (!retryable(lastError) || attempt == MAX_RETRIES) {
                    break;
                }
                sleeper.sleep(Duration.ofSeconds(1L << attempt));
            }
        }
        return result(order, "failed", null, lastError, MAX_RETRIES);
    }

    /** The document's {@code _is_retryable_error}: substrings of the message (what law 10 forbids). */
    private static boolean retryable(String message) {
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (NOT_RETRYABLE.stream().anyMatch(text::contains)) {
            return false;
        }
        // The document then looks for "timeout", "503", "429"... and retries on a match, and by default too.
        return true;
    }

    private Map<String, Object> result(PlannedOrder order, String status, String orderId, String error, int retries) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ticker", order.spec().symbol().value());
        r.put("side", order.spec().side().name());
        r.put("amount_usd", order.estimatedNotional());
        r.put("status", status);
        r.put("order_id", orderId);
        r.put("error_message", error);
        r.put("retry_count", retries);
        r.put("timestamp", clock.instant().toString());
        return r;
    }

    @Override
    public void close() {
        exchange.close();
    }
}
