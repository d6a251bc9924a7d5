package dev.keel.core.metrics;

import dev.keel.core.journal.ForwardingJournal;
import dev.keel.core.journal.Journal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.StreamPosition;
import java.util.List;
import java.util.Objects;

/** A journal that counts every event once it is durable: metrics without a line of metrics code in the engine. */
public final class MeteredJournal extends ForwardingJournal {
    private final KeelMetrics metrics;

    public MeteredJournal(Journal delegate, KeelMetrics metrics) {
        super(delegate);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public JournalRecord append(JournalEvent event) {
        JournalRecord r = super.append(event);
        metrics.observe(event);
        return r;
    }

    @Override
    public List<JournalRecord> appendAll(List<? extends JournalEvent> events, List<StreamPosition> expected,
                                         dev.keel.core.journal.Fence fence) {
        List<JournalRecord> records = super.appendAll(events, expected, fence);
        events.forEach(metrics::observe);
        return records;
    }
}
