package dev.keel.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.error.Severity;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.journal.NotificationAttemptFailed;
import dev.keel.core.journal.NotificationDelivered;
import dev.keel.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 finding 7: dispatches on several threads neither wait for one another's sends nor send one notification
 * twice, and a channel that hangs is a failed attempt, not a stalled engine. Threads meet at latches; nothing sleeps.
 */
class OutboxConcurrencyTest {
    private static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");
    /** Only a guard against a hang: every wait below ends as soon as its latch opens. */
    private static final long GUARD_SECONDS = 30;

    private final ManualClock clock = new ManualClock(T0);
    private final MemoryJournal journal = new MemoryJournal();
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /** Blocks every send for account "slow" until released; the others go through at once. */
    private static final class GateChannel implements NotificationChannel {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> sent = Collections.synchronizedList(new ArrayList<>());

        @Override
        public String name() {
            return "gate";
        }

        @Override
        public void send(Notification n) {
            if (n.accountId().equals("slow")) {
                entered.countDown();
                try {
                    if (!release.await(GUARD_SECONDS, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            sent.add(n.id());
        }
    }

    @Test
    void aChannelBlockedOnOneAccountDoesNotStallAnotherThreadsDispatch() throws Exception {
        GateChannel gate = new GateChannel();
        Outbox outbox = Outbox.builder(journal, clock, new SplittableRandom(1)).channel(gate).build();
        String slow = outbox.enqueue("slow", "tx-slow", Severity.HIGH, "Rebalance partial", "body");
        String fast = outbox.enqueue("fast", "tx-fast", Severity.HIGH, "Rebalance partial", "body");

        Future<DeliveryReport> blocked = threads.submit(outbox::dispatch);
        assertThat(gate.entered.await(GUARD_SECONDS, TimeUnit.SECONDS)).as("first dispatch is sending").isTrue();
        Future<DeliveryReport> second = threads.submit(outbox::dispatch);

        assertThat(second).succeedsWithin(Duration.ofSeconds(GUARD_SECONDS))
                .satisfies(r -> assertThat(r.settled()).containsExactly(fast));
        assertThat(blocked).isNotDone();
        gate.release.countDown();
        assertThat(blocked).succeedsWithin(Duration.ofSeconds(GUARD_SECONDS))
                .satisfies(r -> assertThat(r.settled()).containsExactly(slow));
        assertThat(gate.sent).containsExactly(fast, slow);
        assertThat(outbox.pending()).isEmpty();
    }

    /** Counts sends; lets both dispatching threads start together. */
    private static final class CountingChannel implements NotificationChannel {
        final List<String> sent = Collections.synchronizedList(new ArrayList<>());

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public void send(Notification n) {
            sent.add(n.id());
        }
    }

    @Test
    void concurrentDispatchesNeverDeliverOneNotificationTwice() throws Exception {
        for (int round = 0; round < 50; round++) {
            MemoryJournal roundJournal = new MemoryJournal();
            CountingChannel counting = new CountingChannel();
            Outbox outbox = Outbox.builder(roundJournal, clock, new SplittableRandom(round)).channel(counting)
                    .build();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ids.add(outbox.enqueue("acct-" + (i % 3), "tx-" + i, Severity.HIGH, "Rebalance partial", "body"));
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<DeliveryReport>> reports = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                reports.add(threads.submit(() -> {
                    start.await();
                    return outbox.dispatch();
                }));
            }
            start.countDown();
            for (Future<DeliveryReport> r : reports) {
                assertThat(r).succeedsWithin(Duration.ofSeconds(GUARD_SECONDS));
            }

            assertThat(counting.sent).containsExactlyInAnyOrderElementsOf(ids);
            List<String> delivered = new ArrayList<>();
            roundJournal.replay(0, (JournalRecord rec) -> {
                if (rec.event() instanceof NotificationDelivered d) {
                    delivered.add(d.notificationId());
                }
            });
            assertThat(delivered).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(outbox.pending()).isEmpty();
        }
    }

    @Test
    void aSendThatDoesNotAnswerWithinTheBoundIsAFailedAttemptRetriedLater() {
        GateChannel gate = new GateChannel();
        Outbox outbox = Outbox.builder(journal, clock, new SplittableRandom(1)).channel(gate)
                .sendTimeout(Duration.ofMillis(50)).build();
        String slow = outbox.enqueue("slow", "tx-slow", Severity.HIGH, "Rebalance partial", "body");

        DeliveryReport first = outbox.dispatch();

        assertThat(first.attempts()).singleElement().satisfies(a -> {
            assertThat(a.delivered()).isFalse();
            assertThat(a.error()).contains("did not answer within PT0.05S");
        });
        assertThat(first.pending()).containsExactly(slow);
        assertThat(journal.stream("notification:" + slow)).extracting(JournalRecord::event)
                .filteredOn(NotificationAttemptFailed.class::isInstance).hasSize(1);

        gate.release.countDown();
        clock.advance(Outbox.DEFAULT_RETRY_INITIAL); // the channel rests after its failure
        DeliveryReport second = outbox.dispatch();

        assertThat(second.settled()).containsExactly(slow);
        assertThat(second.attempts()).singleElement().satisfies(a -> assertThat(a.attempt()).isEqualTo(2));
    }

    /** Records the thread each send ran on. */
    private static final class ThreadChannel implements NotificationChannel {
        final String name;
        final boolean local;
        final List<Thread> ranOn = Collections.synchronizedList(new ArrayList<>());

        ThreadChannel(String name, boolean local) {
            this.name = name;
            this.local = local;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean appendsLocally() {
            return local;
        }

        @Override
        public void send(Notification n) {
            ranOn.add(Thread.currentThread());
        }
    }

    @Test
    void aChannelThatOnlyAppendsLocallyIsSentOnTheDispatchingThreadAndAnyOtherOnAThreadTheBoundCanAbandon() {
        ThreadChannel local = new ThreadChannel("local", true);
        ThreadChannel remote = new ThreadChannel("remote", false);
        Outbox outbox = Outbox.builder(journal, clock, new SplittableRandom(1)).channel(local).channel(remote)
                .sendTimeout(Duration.ofSeconds(GUARD_SECONDS)).build();
        outbox.enqueue("acct", "tx-1", Severity.HIGH, "Rebalance partial", "body");
        outbox.enqueue("acct", "tx-2", Severity.INFO, "Rebalance completed", "body");

        DeliveryReport report = outbox.dispatch();

        assertThat(report.settled()).hasSize(2);
        assertThat(local.ranOn).hasSize(2).allSatisfy(t -> assertThat(t).isSameAs(Thread.currentThread()));
        assertThat(remote.ranOn).hasSize(2).allSatisfy(t -> {
            assertThat(t).isNotSameAs(Thread.currentThread());
            assertThat(t.isVirtual()).isTrue();
        });
    }

    /** Fails every send while {@code down}; counts the deliveries. */
    private static final class OutageChannel implements NotificationChannel {
        final List<String> sent = Collections.synchronizedList(new ArrayList<>());
        volatile boolean down = true;

        @Override
        public String name() {
            return "outage";
        }

        @Override
        public void send(Notification n) {
            if (down) {
                throw new IllegalStateException("outage");
            }
            sent.add(n.id());
        }
    }

    @Test
    void twoDispatchesMeetingOnABacklogAfterAnOutageDeliverEachNotificationOnce() throws Exception {
        for (int round = 0; round < 20; round++) {
            MemoryJournal roundJournal = new MemoryJournal();
            OutageChannel channel = new OutageChannel();
            Outbox outbox = Outbox.builder(roundJournal, clock, new SplittableRandom(round)).channel(channel).build();
            List<String> ids = new ArrayList<>();
            Severity[] severities = Severity.values();
            for (int i = 0; i < 60; i++) {
                ids.add(outbox.enqueue("acct-" + (i % 4), "tx-" + i, severities[i % severities.length],
                        "Rebalance partial", "body"));
            }
            outbox.dispatch(); // the outage: one attempt fails and the channel rests
            channel.down = false;
            clock.advance(Outbox.DEFAULT_RETRY_MAX);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<DeliveryReport>> reports = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                reports.add(threads.submit(() -> {
                    start.await();
                    return outbox.dispatch();
                }));
            }
            start.countDown();
            for (Future<DeliveryReport> r : reports) {
                assertThat(r).succeedsWithin(Duration.ofSeconds(GUARD_SECONDS));
            }
            outbox.dispatch(); // what one dispatch skipped while the other held it

            assertThat(channel.sent).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(outbox.pending()).isEmpty();
        }
    }
}
