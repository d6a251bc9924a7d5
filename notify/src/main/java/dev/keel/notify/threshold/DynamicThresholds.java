package dev.keel.notify.threshold;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.journal.Journal;
import dev.keel.notify.history.ErrorHistory;
import dev.keel.notify.history.ErrorOccurrence;
import dev.keel.notify.history.Notices;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Dynamic alert thresholds (issue 14, item 4): for each error code, per account and per broker, the usual error rate
 * learned from the journal (the {@link ThresholdSettings#percentile() percentile} of the counts of past windows), and
 * an alert when the current window exceeds it. Until enough windows have been watched the static floor stands, so a
 * new installation neither fires on its first error nor stays silent through its first storm.
 *
 * <p>Windows trail {@code now}: the current one is {@code [now - window, now)}, the past ones the windows before it,
 * back to the history's length or to the journal's first record, whichever is nearer (a window before Keel was
 * watching says nothing, so it is not counted as quiet). A window with no error of a code counts as zero.
 *
 * <p>A breach is queued as a notification in the outbox (routed, rate-limited and raised as an alert like any other),
 * at most once per key and aligned window: {@link #run} may be called as often as a scheduler likes.
 */
public final class DynamicThresholds {
    /** What a baseline is kept for: one account, or every account on one broker. */
    public enum Scope {
        ACCOUNT, BROKER
    }

    /**
     * One code's rate in one scope, now against its past.
     *
     * @param key       the account, or the broker's name
     * @param current   errors in the current window
     * @param threshold the count the current window must exceed: the learned percentile, or the floor
     * @param windows   past windows watched
     * @param learned   whether the threshold is learned (enough windows) rather than the floor
     */
    public record Baseline(ErrorCode code, Scope scope, String key, int current, int threshold, int windows,
                           boolean learned) {
        /** Whether the current window fires, given the least count that may. */
        boolean exceeded(int minimum) {
            return current > threshold && current >= minimum;
        }
    }

    /**
     * What one run found.
     *
     * @param at        the run's time
     * @param baselines every code and scope with an error in the current window, most errors first
     * @param breaches  those over their threshold
     * @param queued    ids of the notifications queued by this run (a breach already reported in this window has none)
     */
    public record Report(Instant at, List<Baseline> baselines, List<Baseline> breaches, List<String> queued) {
        public Report {
            baselines = List.copyOf(baselines);
            breaches = List.copyOf(breaches);
            queued = List.copyOf(queued);
        }
    }

    private final Journal journal;
    private final ThresholdSettings settings;
    private final Function<String, String> brokerOf;

    /**
     * @param brokerOf the broker an account trades on (its name), or null when unknown
     */
    public DynamicThresholds(Journal journal, ThresholdSettings settings, Function<String, String> brokerOf) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.brokerOf = Objects.requireNonNull(brokerOf, "brokerOf");
    }

    /** Learns every baseline with an error in the current window and queues an alert for each breach. */
    public Report run(Instant now) {
        Report report = check(now);
        List<String> queued = new ArrayList<>();
        long bucket = now.toEpochMilli() / settings.window().toMillis();
        for (Baseline b : report.breaches()) {
            String id = Notices.queue(journal, "threshold\n" + b.code() + "\n" + b.scope() + "\n" + b.key() + "\n"
                    + bucket, b.scope() == Scope.ACCOUNT ? b.key() : "broker:" + b.key(), Notices.atLeastMedium(
                    b.code()), b.code(), title(b), body(b, now), now);
            if (id != null) {
                queued.add(id);
            }
        }
        return new Report(now, report.baselines(), report.breaches(), queued);
    }

    /** As {@link #run} without queuing anything: what the thresholds say now. */
    public Report check(Instant now) {
        Duration w = settings.window();
        Instant currentStart = now.minus(w);
        ErrorHistory history = ErrorHistory.read(journal, currentStart.minus(settings.history()), now);
        int windows = pastWindows(history.since(), currentStart);
        // key -> counts: index 0 is the current window, i the i-th window before it
        Map<Key, int[]> counts = new LinkedHashMap<>();
        for (ErrorOccurrence o : history.occurrences()) {
            long back = Duration.between(o.at(), now).toMillis() / w.toMillis();
            if (back > windows) {
                continue;
            }
            count(counts, new Key(o.code(), Scope.ACCOUNT, o.accountId()), (int) back, windows);
            String broker = brokerOf.apply(o.accountId());
            if (broker != null) {
                count(counts, new Key(o.code(), Scope.BROKER, broker), (int) back, windows);
            }
        }
        List<Baseline> baselines = new ArrayList<>();
        counts.forEach((key, c) -> {
            if (c[0] > 0) {
                boolean learned = windows >= settings.minWindows();
                int threshold = learned ? percentile(Arrays.copyOfRange(c, 1, c.length)) : settings.floor();
                baselines.add(new Baseline(key.code(), key.scope(), key.key(), c[0], threshold, windows, learned));
            }
        });
        baselines.sort(Comparator.comparingInt(Baseline::current).reversed().thenComparing(b -> b.code().name())
                .thenComparing(Baseline::scope).thenComparing(Baseline::key));
        List<Baseline> breaches = baselines.stream().filter(b -> b.exceeded(settings.minimum())).toList();
        return new Report(now, baselines, breaches, List.of());
    }

    private record Key(ErrorCode code, Scope scope, String key) {
    }

    private static void count(Map<Key, int[]> counts, Key key, int back, int windows) {
        counts.computeIfAbsent(key, k -> new int[windows + 1])[back]++;
    }

    /** Complete windows between the journal's first record and the current window, at most the history's. */
    private int pastWindows(Instant since, Instant currentStart) {
        long max = settings.history().toMillis() / settings.window().toMillis();
        if (since == null || !since.isBefore(currentStart)) {
            return 0;
        }
        long watched = Duration.between(since, currentStart).toMillis() / settings.window().toMillis();
        return (int) Math.min(max, watched);
    }

    /** The nearest-rank percentile of {@code past}: the smallest count that many windows did not exceed. */
    private int percentile(int[] past) {
        int[] sorted = past.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(settings.percentile() * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private String title(Baseline b) {
        return b.code() + " above its usual rate " + (b.scope() == Scope.ACCOUNT ? "on account " : "on broker ")
                + b.key() + " (" + b.current() + " in " + human(settings.window()) + ", usually at most "
                + b.threshold() + ")";
    }

    private String body(Baseline b, Instant now) {
        String basis = b.learned()
                ? "the " + Math.round(settings.percentile() * 100) + "th percentile of the " + b.windows() + " past "
                + human(settings.window()) + " windows (" + human(settings.history()) + " at most)"
                : "the static floor (only " + b.windows() + " past windows watched, " + settings.minWindows()
                + " needed to learn)";
        return b.current() + " " + b.code() + " error(s) " + (b.scope() == Scope.ACCOUNT ? "on account " : "across "
                + "the accounts on broker ") + b.key() + " in the " + human(settings.window()) + " to " + now
                + "; the threshold is " + b.threshold() + ", " + basis + ".\n" + b.code().description();
    }

    static String human(Duration d) {
        if (d.toDaysPart() > 0 && d.toHoursPart() == 0 && d.toMinutesPart() == 0) {
            return d.toDays() + "d";
        }
        if (d.toHours() > 0 && d.toMinutesPart() == 0) {
            return d.toHours() + "h";
        }
        return d.toMinutes() + "m";
    }
}
