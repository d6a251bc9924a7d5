package dev.keel.core.metrics;

import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.OrderAttemptFailed;
import dev.keel.core.journal.OrderFailed;
import dev.keel.core.journal.OrderIntentRecorded;
import dev.keel.core.journal.OrderLookedUp;
import dev.keel.core.journal.OrderUpdated;
import dev.keel.core.journal.Tallies;
import dev.keel.core.journal.TransactionEnded;
import dev.keel.core.journal.TransactionStarted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Keel's metrics, derived from the journal: every fact that is durable is counted, and nothing is counted that the
 * journal does not hold. Fed by {@link MeteredJournal} as events are appended, or by replaying a journal; what a
 * record counts on its own is {@link Tallies#of}, which the database journals also keep by minute.
 *
 * <p>Meters: {@code keel.errors} (category, code), {@code keel.order.retries}, {@code keel.orders.inflight} and
 * {@code keel.orders.unknown} (gauges), {@code keel.orders.inflight.age.max} (seconds, gauge),
 * {@code keel.transactions} (status), {@code keel.transaction.duration}, {@code keel.reconciliation.drift}
 * (absolute drift per symbol, in basis points), {@code keel.recoveries}, {@code keel.notifications} (delivered),
 * {@code keel.trading.state.changes} (to).
 */
public final class KeelMetrics {
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, Instant> inflight = new ConcurrentHashMap<>();
    private final Map<String, Boolean> unknown = new ConcurrentHashMap<>();
    private final Map<String, Instant> started = new ConcurrentHashMap<>();
    /** Orders whose next submit is a retry: after a definite non-acceptance, or after absence was proven. */
    private final Map<String, Boolean> resubmitting = new ConcurrentHashMap<>();
    private final Counter retries;
    private final DistributionSummary drift;
    private final Timer duration;
    private final LongAdder answeredResubmits = new LongAdder();
    /** Where {@link Tallies#of} counts: the registry's meters. */
    private final Tallies.Sink sink = new Tallies.Sink() {
        @Override
        public void count(String name, String... tags) {
            registry.counter(name, tags).increment();
        }

        @Override
        public void record(String name, double value) {
            if (Tallies.DURATION.equals(name)) {
                duration.record(Math.round(value * 1e9), TimeUnit.NANOSECONDS);
            } else {
                drift.record(value);
            }
        }
    };

    public KeelMetrics(MeterRegistry registry, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retries = Counter.builder(Tallies.RETRIES).description("order submits after the first")
                .register(registry);
        Counter.builder(Tallies.RECOVERIES).description("transactions resumed after a restart")
                .register(registry);
        this.drift = DistributionSummary.builder(Tallies.DRIFT).baseUnit("bps")
                .description("absolute drift from target per symbol after a transaction").register(registry);
        this.duration = Timer.builder(Tallies.DURATION).description("start to terminal state")
                .register(registry);
        Gauge.builder("keel.orders.inflight", inflight, Map::size).description("order intents not yet terminal")
                .register(registry);
        Gauge.builder("keel.orders.unknown", unknown, Map::size)
                .description("orders whose outcome is unknown until a lookup answers").register(registry);
        Gauge.builder("keel.orders.inflight.age.max", this, KeelMetrics::oldestInflightSeconds).baseUnit("seconds")
                .description("age of the oldest order intent not yet terminal").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Every meter's values by the names the health report gives them: a meter by its name and tags
     * ({@link Tallies#key}) for its count or value, and {@code .total}, {@code .total_time}, {@code .max} after it for
     * a distribution's other statistics.
     */
    public Map<String, Double> snapshot() {
        Map<String, Double> values = new TreeMap<>();
        for (Meter m : registry.getMeters()) {
            String[] tags = m.getId().getTags().stream().flatMap(t -> Stream.of(t.getKey(), t.getValue()))
                    .toArray(String[]::new);
            String key = Tallies.key(m.getId().getName(), tags);
            m.measure().forEach(ms -> {
                String stat = ms.getStatistic().name().toLowerCase(Locale.ROOT);
                values.putIfAbsent(key + (stat.equals("count") || stat.equals("value") ? "" : "." + stat),
                        ms.getValue());
            });
        }
        return values;
    }

    /** Counts one durable journal event. */
    public void observe(JournalEvent event) {
        Instant opened = event instanceof TransactionEnded e ? started.remove(e.txId()) : null;
        Tallies.of(event, opened, sink);
        switch (event) {
            case TransactionStarted s -> started.put(s.txId(), s.at());
            case OrderIntentRecorded i -> inflight.put(i.clientOrderId(), i.at());
            case OrderAttemptFailed f -> {
                resubmitting.remove(f.clientOrderId());
                if (f.delivery() == dev.keel.core.broker.Delivery.AMBIGUOUS) {
                    unknown.put(f.clientOrderId(), Boolean.TRUE);
                } else {
                    resubmitting.put(f.clientOrderId(), Boolean.TRUE);
                }
            }
            case OrderLookedUp l -> {
                if (l.outcome() == OrderLookedUp.Outcome.FOUND || l.afterGrace()) {
                    unknown.remove(l.clientOrderId());
                }
                if (l.outcome() == OrderLookedUp.Outcome.NOT_FOUND && l.afterGrace()) {
                    resubmitting.put(l.clientOrderId(), Boolean.TRUE);
                }
            }
            case OrderUpdated u -> {
                if (resubmitting.remove(u.clientOrderId()) != null) {
                    retries.increment(); // the answer to a resubmit that succeeded
                    answeredResubmits.increment();
                }
                unknown.remove(u.clientOrderId());
                if (u.state().isTerminal()) {
                    inflight.remove(u.clientOrderId());
                }
            }
            case OrderFailed f -> {
                resubmitting.remove(f.clientOrderId());
                unknown.remove(f.clientOrderId());
                inflight.remove(f.clientOrderId());
            }
            default -> {
            }
        }
    }

    /** Orders whose intent this counted and that have no terminal state yet. */
    public int inflight() {
        return inflight.size();
    }

    /** Orders whose outcome is unknown until a lookup answers. */
    public int unknown() {
        return unknown.size();
    }

    /** Age of the oldest order in flight, in seconds; 0 when none. */
    public double oldestInflight() {
        return oldestInflightSeconds();
    }

    /** Resubmits whose answer this counted: the retries no single record says are one. */
    public long answeredResubmits() {
        return answeredResubmits.sum();
    }

    private double oldestInflightSeconds() {
        Instant now = clock.instant();
        return inflight.values().stream().mapToDouble(t -> Duration.between(t, now).toMillis() / 1000.0)
                .max().orElse(0.0);
    }
}
