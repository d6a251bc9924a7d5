package dev.keel.core.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.journal.EndpointSwitched;
import dev.keel.core.journal.ForwardingJournal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.StreamPosition;
import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A caller that drains the broker's events never waits for another caller's journal append (issue 10 finding 7's
 * family): a monitor held across an append stalls every account behind a slow write, and deadlocks a scheduler that
 * runs callers one at a time and switches at appends. Threads meet at latches; nothing sleeps.
 */
class ResilienceEventsDrainTest {
    private static final long GUARD_SECONDS = 30;

    /** Holds the first append until released. */
    private static final class HeldJournal extends ForwardingJournal {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        HeldJournal() {
            super(new MemoryJournal());
        }

        @Override
        public List<JournalRecord> appendAll(List<? extends JournalEvent> events, List<StreamPosition> expected,
                                         dev.keel.core.journal.Fence fence) {
            if (entered.getCount() > 0) {
                entered.countDown();
                try {
                    if (!release.await(GUARD_SECONDS, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return super.appendAll(events, expected, fence);
        }
    }

    @Test
    void aDrainDoesNotWaitForAnotherDrainsAppendAndNoEventIsLost() throws Exception {
        HeldJournal journal = new HeldJournal();
        ResilienceEvents events = new ResilienceEvents("paper", journal, null,
                new ManualClock(Instant.parse("2026-03-02T15:00:00Z")), Duration.ofMinutes(1));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            events.switched("alice", Endpoint.SUBMIT, "primary", "backup", "first");
            Future<?> held = threads.submit(events::drain);
            assertThat(journal.entered.await(GUARD_SECONDS, TimeUnit.SECONDS)).isTrue();

            events.switched("bob", Endpoint.SUBMIT, "primary", "backup", "second");
            Future<?> second = threads.submit(events::drain);

            assertThat(second).succeedsWithin(Duration.ofSeconds(GUARD_SECONDS));
            journal.release.countDown();
            assertThat(held).succeedsWithin(Duration.ofSeconds(GUARD_SECONDS));
        } finally {
            journal.release.countDown();
            threads.shutdownNow();
        }
        List<String> reasons = new java.util.ArrayList<>();
        journal.replay(0, r -> reasons.add(((EndpointSwitched) r.event()).reason()));
        assertThat(reasons).as("both journaled, in order, by whichever drain was appending").containsExactly("first",
                "second");
    }
}
