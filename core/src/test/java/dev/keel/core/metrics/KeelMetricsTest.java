package dev.keel.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalSamples;
import dev.keel.core.journal.Tallies;
import dev.keel.core.time.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeelMetricsTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-06T12:00:00Z"));

    /**
     * A reader of records no writer tallied decodes only {@link Tallies#COUNTED}: over seeded histories (several
     * transactions' records of every type, some left out, interleaved), the tallies and the marks from those types
     * alone equal those from every record. A type counted or marked by {@code Tallies} and missing from the set
     * fails this.
     */
    @Test
    void talliesFromTheCountedTypesAloneEqualThoseFromEveryRecord() {
        assertThat(JournalSamples.typesWithoutSample()).isEmpty();
        SplittableRandom random = new SplittableRandom(15);
        for (int run = 0; run < 300; run++) {
            List<JournalEvent> history = history(random);
            Tallies.Counter every = new Tallies.Counter();
            Tallies.Counter counted = new Tallies.Counter();
            history.forEach(e -> every.count(e, Instant.EPOCH, txId -> null));
            history.stream().filter(e -> Tallies.COUNTED.contains(e.getClass()))
                    .forEach(e -> counted.count(e, Instant.EPOCH, txId -> null));
            assertThat(counted.window()).as("run %d", run).isEqualTo(every.window());
            assertThat(every.window().meters()).as("run %d counts something", run).isNotEmpty();
        }
    }

    /** The live meters count what the tallies count: both go through {@link Tallies#of}. */
    @Test
    void liveMetersCountWhatTheTalliesCount() {
        SplittableRandom random = new SplittableRandom(16);
        for (int run = 0; run < 100; run++) {
            List<JournalEvent> history = history(random);
            KeelMetrics live = new KeelMetrics(new SimpleMeterRegistry(), clock);
            Tallies.Counter tallies = new Tallies.Counter();
            history.forEach(live::observe);
            history.forEach(e -> tallies.count(e, Instant.EPOCH, txId -> null));
            Map<String, Double> meters = live.snapshot();
            for (Map.Entry<String, Tallies.Tally> t : tallies.window().meters().entrySet()) {
                double answered = t.getKey().equals(Tallies.RETRIES) ? live.answeredResubmits() : 0;
                assertThat(meters.get(t.getKey()) - answered).as("run %d %s", run, t.getKey())
                        .isEqualTo((double) t.getValue().count());
            }
        }
    }

    /** One to four transactions of every record type, each kept with probability 3/4, interleaved in order. */
    private static List<JournalEvent> history(SplittableRandom random) {
        List<List<JournalEvent>> transactions = new ArrayList<>();
        int count = 1 + random.nextInt(4);
        for (int tx = 0; tx < count; tx++) {
            List<JournalEvent> kept = new ArrayList<>();
            for (JournalEvent e : JournalSamples.everyType("tx-" + tx, "acct-" + random.nextInt(2))) {
                if (random.nextInt(4) > 0) {
                    kept.add(e);
                }
            }
            transactions.add(kept);
        }
        List<JournalEvent> merged = new ArrayList<>();
        while (transactions.stream().anyMatch(t -> !t.isEmpty())) {
            List<JournalEvent> next = transactions.get(random.nextInt(transactions.size()));
            if (!next.isEmpty()) {
                merged.add(next.removeFirst());
            }
        }
        return merged;
    }
}
