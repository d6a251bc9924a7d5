package dev.keel.notify.pattern;

import dev.keel.core.journal.Journal;
import dev.keel.notify.history.ErrorHistory;
import dev.keel.notify.history.ErrorOccurrence;
import dev.keel.notify.history.Notices;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Error pattern detection over the journal (issue 14, item 5): bursts, correlations across accounts, recurrences at a
 * time of day, and sequences of one error before another. {@link #run} looks back over a period, and queues each
 * pattern found as a notification with its evidence (routed, rate-limited and raised as an alert like any other).
 * A pattern is alerted once: a burst or a correlation by where it starts, a recurrence or a sequence once a week
 * (it is still true the next day; a week later it is worth saying again if it still is). Call it as often as a
 * scheduler likes.
 */
public final class PatternDetector {
    private static final Duration RESTATED = Duration.ofDays(7);

    /**
     * What one run found.
     *
     * @param from     the start of the period looked at
     * @param to       its end (the run's time)
     * @param errors   the errors in it
     * @param patterns what was found, by first error
     * @param queued   ids of the notifications this run queued (a pattern alerted before has none)
     */
    public record Report(Instant from, Instant to, int errors, List<ErrorPattern> patterns, List<String> queued) {
        public Report {
            patterns = List.copyOf(patterns);
            queued = List.copyOf(queued);
        }
    }

    private final Journal journal;
    private final PatternSettings settings;
    private final Function<String, String> brokerOf;

    /** @param brokerOf the broker an account trades on (its name), or null when unknown */
    public PatternDetector(Journal journal, PatternSettings settings, Function<String, String> brokerOf) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.brokerOf = Objects.requireNonNull(brokerOf, "brokerOf");
    }

    /** Finds the patterns of the {@code period} before {@code now} and queues an alert for each new one. */
    public Report run(Instant now, Duration period) {
        Report found = find(now, period);
        List<String> queued = new ArrayList<>();
        long week = now.toEpochMilli() / RESTATED.toMillis();
        for (ErrorPattern p : found.patterns()) {
            boolean ongoing = p instanceof ErrorPattern.Recurrence || p instanceof ErrorPattern.Sequence;
            String id = Notices.queue(journal, "pattern\n" + p.identity() + (ongoing ? "\n" + week : ""),
                    p.scope(), Notices.atLeastMedium(p.code()), p.code(), "Pattern: " + p.title(),
                    p.evidence(), now);
            if (id != null) {
                queued.add(id);
            }
        }
        return new Report(found.from(), found.to(), found.errors(), found.patterns(), queued);
    }

    /** As {@link #run} without queuing anything. */
    public Report find(Instant now, Duration period) {
        Instant from = now.minus(period);
        List<ErrorOccurrence> errors = ErrorHistory.read(journal, from, now).occurrences();
        List<ErrorPattern> patterns = new ArrayList<>();
        patterns.addAll(Bursts.find(errors, settings));
        patterns.addAll(Correlations.find(errors, settings, brokerOf, period));
        patterns.addAll(Recurrences.find(errors, settings));
        patterns.addAll(Sequences.find(errors, settings, from, now));
        patterns.sort(Comparator.comparing(ErrorPattern::firstAt).thenComparing(ErrorPattern::kind)
                .thenComparing(ErrorPattern::identity));
        return new Report(from, now, errors.size(), patterns, List.of());
    }
}
