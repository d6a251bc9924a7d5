package dev.keel.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalSamples;
import dev.keel.core.time.ManualClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KeelMetricsTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-06T12:00:00Z"));

    /**
     * The health report replays only {@link KeelMetrics#OBSERVED}: over seeded histories (several transactions'
     * records of every type, some left out, interleaved), the meters from those types alone equal the meters from
     * every record. A type counted by {@code observe} and missing from the set fails this.
     */
    @Test
    void metersFromTheObservedTypesAloneEqualThoseFromEveryRecord() {
        assertThat(JournalSamples.typesWithoutSample()).isEmpty();
        SplittableRandom random = new SplittableRandom(15);
        for (int run = 0; run < 300; run++) {
            List<JournalEvent> history = history(random);
            KeelMetrics every = new KeelMetrics(new SimpleMeterRegistry(), clock);
            KeelMetrics observed = new KeelMetrics(new SimpleMeterRegistry(), clock);
            history.forEach(every::observe);
            history.stream().filter(e -> KeelMetrics.OBSERVED.contains(e.getClass())).forEach(observed::observe);
            assertThat(meters(observed)).as("run %d", run).isEqualTo(meters(every));
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

    private static Map<String, List<Double>> meters(KeelMetrics metrics) {
        Map<String, List<Double>> values = new TreeMap<>();
        for (Meter m : metrics.registry().getMeters()) {
            List<Double> measured = new ArrayList<>();
            m.measure().forEach(ms -> measured.add(ms.getValue()));
            values.put(m.getId().toString(), measured);
        }
        return values;
    }
}
