package dev.keel.core.journal;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.model.TransactionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What each journal record counts toward Keel's meters on its own, and the journal's tallies of them by minute.
 *
 * <p>A meter a record moves without knowing any other record ({@link #of}) is tallied as the record is written: the
 * database journals keep the counts of each minute beside the events, in the append's transaction, so the health
 * report of a day reads a few hundred rows instead of decoding the day's records (issue 15: {@code keel status} on
 * 10,000 transactions). What needs the records before it (a resubmit's answer, the orders in flight or of unknown
 * outcome) is not tallied: a record after which a transaction needs reading for it is marked instead
 * ({@link #attention}), and the report folds those transactions' records.
 *
 * <p>The meters' names are {@link dev.keel.core.metrics.KeelMetrics}'; {@code KeelMetrics} counts through this class,
 * so the live meters and the tallies cannot count differently.
 */
public final class Tallies {
    public static final String ERRORS = "keel.errors";
    public static final String RETRIES = "keel.order.retries";
    public static final String RECOVERIES = "keel.recoveries";
    public static final String DRIFT = "keel.reconciliation.drift";
    public static final String DURATION = "keel.transaction.duration";
    public static final String TRANSACTIONS = "keel.transactions";
    public static final String TRADING_STATE_CHANGES = "keel.trading.state.changes";
    public static final String NOTIFICATIONS = "keel.notifications";

    /**
     * The types {@link Counter#count} reads: those {@link #of} counts or {@link #attention} marks, and a transaction's
     * start (its ending's duration). Every other counts nothing (KeelMetricsTest), so a reader of untallied records need
     * not decode it.
     */
    public static final Set<Class<? extends JournalEvent>> COUNTED = Set.of(TransactionStarted.class,
            OrderAttemptFailed.class, OrderLookedUp.class, OrderFailed.class, ReconciliationRecorded.class,
            TransactionEnded.class, TransactionResumed.class, TradingStateChanged.class, NotificationSettled.class,
            OrdersWorking.class);

    private Tallies() {
    }

    /** Where {@link #of} counts. */
    public interface Sink {
        /** One more of the counter {@code name} with its tags, as key-value pairs in key order. */
        void count(String name, String... tags);

        /** One value of the distribution {@code name}: {@link #DRIFT} in basis points, {@link #DURATION} in seconds. */
        void record(String name, double value);
    }

    /**
     * Counts what {@code event} moves on its own.
     *
     * @param streamOpenedAt when the event's stream opened (a transaction's start), for an ending's duration; null
     *                       when not known, and then no duration is recorded
     */
    public static void of(JournalEvent event, Instant streamOpenedAt, Sink sink) {
        switch (event) {
            case OrderAttemptFailed f -> {
                error(f.code(), sink);
                if (f.attempt() > 1) {
                    sink.count(RETRIES);
                }
            }
            case OrderLookedUp l -> {
                if (l.outcome() == OrderLookedUp.Outcome.ERROR) {
                    error(l.errorCode(), sink);
                }
            }
            case OrderFailed f -> error(f.code(), sink);
            case ReconciliationRecorded r -> r.lines().forEach(l -> sink.record(DRIFT,
                    l.drift().abs().movePointRight(4).doubleValue()));
            case TransactionEnded e -> {
                sink.count(TRANSACTIONS, "status", e.status().name());
                error(e.errorCode(), sink);
                if (streamOpenedAt != null) {
                    sink.record(DURATION, Duration.between(streamOpenedAt, e.at()).toNanos() / 1e9);
                }
            }
            case TransactionResumed r -> sink.count(RECOVERIES);
            case TradingStateChanged t -> sink.count(TRADING_STATE_CHANGES, "to", t.to().name());
            case NotificationSettled n -> sink.count(NOTIFICATIONS, "delivered", Boolean.toString(n.delivered()));
            default -> {
            }
        }
    }

    private static void error(ErrorCode code, Sink sink) {
        if (code != null) {
            sink.count(ERRORS, "category", code.category().wire(), "code", code.name());
        }
    }

    /**
     * Whether the report must read the record's transaction for what no tally says: a failed or looked-up order (a
     * resubmit's answer, an outcome unknown), an ending that left orders working (orders in flight), an ending other
     * than COMPLETED (its finding). Together with the transactions still open, these are every transaction whose
     * records of a window can leave an order in flight or unknown, or count a resubmit.
     */
    public static boolean attention(JournalEvent event) {
        return switch (event) {
            case OrderAttemptFailed f -> true;
            case OrderLookedUp l -> true;
            case OrderFailed f -> true;
            case OrdersWorking w -> w.orders() > 0;
            case TransactionEnded e -> e.status() != TransactionStatus.COMPLETED;
            default -> false;
        };
    }

    /** The minute of a record's time: the tallies' unit, counted from the epoch. */
    public static long minute(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), 60);
    }

    /** One meter's tally: how many, their sum and their largest (a counter: how many, and 0s). */
    public record Tally(long count, double total, double max) {
        public Tally merge(Tally other) {
            return new Tally(count + other.count, total + other.total, Math.max(max, other.max));
        }
    }

    /**
     * What a journal tallied of a window.
     *
     * @param meters    by key: a counter's name with its tags ({@code keel.transactions{status=PARTIAL}}), or a
     *                  distribution's name
     * @param attention the transactions with a record of the window that {@link #attention} marks
     */
    public record Window(Map<String, Tally> meters, Set<String> attention) {
        public Window {
            meters = Map.copyOf(meters);
            attention = Set.copyOf(attention);
        }
    }

    /** Tallies by minute and meter as records are counted; what a writer keeps and a reader sums. */
    public static final class Counter implements Sink {
        private final Map<Long, Map<String, Tally>> byMinute = new TreeMap<>();
        private final Map<Long, Set<String>> attention = new TreeMap<>();
        private final Map<String, Instant> started = new java.util.HashMap<>();
        private long minute;

        /** Counts {@code event} in its minute. */
        public void add(JournalEvent event, Instant streamOpenedAt) {
            minute = minute(event.at());
            of(event, streamOpenedAt, this);
            if (Tallies.attention(event)) {
                attention.computeIfAbsent(minute, m -> new LinkedHashSet<>()).add(event.streamId());
            }
        }

        /**
         * Counts a record read in order when its time is at or after {@code from}: a transaction's ending gets its
         * start from a {@link TransactionStarted} counted before it or, when none was, from {@code openedAt}.
         */
        public void count(JournalEvent event, Instant from, Function<String, Instant> openedAt) {
            if (event instanceof TransactionStarted s) {
                started.put(s.txId(), s.at());
            }
            if (event.at().isBefore(from)) {
                return;
            }
            Instant opened = null;
            if (event instanceof TransactionEnded end) {
                opened = started.containsKey(end.txId()) ? started.get(end.txId()) : openedAt.apply(end.txId());
            }
            add(event, opened);
        }

        @Override
        public void count(String name, String... tags) {
            put(key(name, tags), new Tally(1, 0, 0));
        }

        @Override
        public void record(String name, double value) {
            put(name, new Tally(1, value, value));
        }

        private void put(String key, Tally tally) {
            byMinute.computeIfAbsent(minute, m -> new TreeMap<>()).merge(key, tally, Tally::merge);
        }

        /** The tallies by minute, each minute's by meter key. */
        public Map<Long, Map<String, Tally>> byMinute() {
            return byMinute;
        }

        /** The transactions {@link Tallies#attention} marked, by minute. */
        public Map<Long, Set<String>> marked() {
            return attention;
        }

        /** Everything counted, summed over the minutes. */
        public Window window() {
            Map<String, Tally> sum = new TreeMap<>();
            byMinute.values().forEach(m -> m.forEach((k, t) -> sum.merge(k, t, Tally::merge)));
            Set<String> marked = new LinkedHashSet<>();
            attention.values().forEach(marked::addAll);
            return new Window(sum, marked);
        }
    }

    /** A counter's key: {@code name{k1=v1,k2=v2}}, the tags in key order (as Micrometer names them). */
    public static String key(String name, String... tags) {
        if (tags.length == 0) {
            return name;
        }
        StringBuilder b = new StringBuilder(name).append('{');
        for (int i = 0; i < tags.length; i += 2) {
            if (i > 0) {
                b.append(',');
            }
            b.append(tags[i]).append('=').append(tags[i + 1]);
        }
        return b.append('}').toString();
    }
}
