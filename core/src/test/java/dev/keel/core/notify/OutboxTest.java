package dev.keel.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.error.Severity;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.NotificationAttemptFailed;
import dev.keel.core.journal.NotificationDelivered;
import dev.keel.core.journal.NotificationQueued;
import dev.keel.core.journal.NotificationSettled;
import dev.keel.core.time.ManualClock;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OutboxTest {
    private static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");

    private final ManualClock clock = new ManualClock(T0);
    private final ListJournal journal = new ListJournal();
    private final RecordingChannel console = new RecordingChannel("console");
    private final RecordingChannel file = new RecordingChannel("file");

    private Outbox outbox(NotificationChannel... channels) {
        return Outbox.builder(journal, clock, new SplittableRandom(42)).channels(List.of(channels)).build();
    }

    /** The test's journal, noting in {@code reads} every stream read through it. */
    private dev.keel.core.journal.Journal countingStreamReads(List<String> reads) {
        return new dev.keel.core.journal.ForwardingJournal(journal) {
            @Override
            public List<dev.keel.core.journal.JournalRecord> stream(String streamId) {
                reads.add(streamId);
                return super.stream(streamId);
            }
        };
    }

    @Test
    void queuedNotificationIsDeliveredToEveryChannelAndSettled() {
        Outbox outbox = outbox(console, file);
        String id = outbox.enqueue("acct-1", "tx-1", Severity.HIGH, "Rebalance partial", "TLT buy failed");

        DeliveryReport report = outbox.dispatch();

        assertThat(console.received()).containsExactly(id);
        assertThat(file.received()).containsExactly(id);
        assertThat(report.settled()).containsExactly(id);
        assertThat(report.pending()).isEmpty();
        assertThat(report.deliveries()).isEqualTo(2);
        assertThat(journal.events()).containsExactly(
                new NotificationQueued(id, "acct-1", "tx-1", Severity.HIGH, "Rebalance partial", "TLT buy failed", T0),
                new NotificationDelivered(id, "acct-1", "console", T0),
                new NotificationDelivered(id, "acct-1", "file", T0),
                new NotificationSettled(id, "acct-1", true, T0));
        assertThat(journal.openStreams(JournalEvent.NOTIFICATION)).isEmpty();
        assertThat(outbox.dispatch().attempts()).isEmpty();
    }

    /**
     * The round's listing takes a notification this outbox queued as it was written (issue 15); the send still reads
     * it once, under its claim. One queued by another process is read in the listing as before.
     */
    @Test
    void aNotificationThisOutboxQueuedIsListedWithoutReadingItsStreamBack() {
        List<String> reads = new java.util.concurrent.CopyOnWriteArrayList<>();
        Outbox outbox = Outbox.builder(countingStreamReads(reads), clock, new SplittableRandom(42)).channel(console)
                .build();
        // about no transaction: its code is its own (one about a transaction is listed once its ending is known)
        String ours = outbox.enqueue("acct-1", null, Severity.HIGH, "Breaker open", "orders refused");
        String theirs = outbox(console).enqueue("acct-1", "tx-2", Severity.INFO, "Rebalance completed", "done");
        reads.clear();

        outbox.dispatch();

        assertThat(console.received()).containsExactly(ours, theirs);
        assertThat(reads).filteredOn(s -> s.startsWith("notification:")).as("ours under its claim only; theirs"
                + " in the listing too").containsExactly("notification:" + theirs, "notification:" + ours,
                "notification:" + theirs);
        assertThat(journal.openStreams(JournalEvent.NOTIFICATION)).isEmpty();
    }

    @Test
    void enqueueIsIdempotentForTheSameTransactionAndTitle() {
        Outbox outbox = outbox(console);
        String first = outbox.enqueue("acct-1", "tx-1", Severity.HIGH, "Rebalance partial", "body");
        String again = outbox.enqueue("acct-1", "tx-1", Severity.HIGH, "Rebalance partial", "body");
        String other = outbox.enqueue("acct-1", "tx-1", Severity.INFO, "Rebalance completed", "body");

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(journal.events()).hasSize(2);
        assertThat(outbox(console).prepare("acct-1", "tx-1", Severity.HIGH, "Rebalance partial", "x")
                .notificationId()).isEqualTo(first);
    }

    @Test
    void idsWithoutTransactionComeFromTheSeededGeneratorAndNeverReuseOneInTheJournal() {
        String first = outbox(console).enqueue("acct-1", null, Severity.INFO, "Hello", "body");
        // A restarted outbox with the same seed draws the same id first, finds it taken and draws again.
        String second = outbox(console).enqueue("acct-1", null, Severity.INFO, "Hello", "body");
        ListJournal fresh = new ListJournal();
        String replayed = Outbox.builder(fresh, clock, new SplittableRandom(42)).build()
                .enqueue("acct-1", null, Severity.INFO, "Hello", "body");

        assertThat(second).isNotEqualTo(first);
        assertThat(replayed).isEqualTo(first);
        assertThat(journal.openStreams(JournalEvent.NOTIFICATION)).hasSize(2);
    }

    @Test
    void failingChannelIsRetriedOnNextDispatchWhileTheOtherIsNotResent() {
        file.failNext(2);
        Outbox outbox = outbox(console, file);
        String id = outbox.enqueue("acct-1", "tx-1", Severity.HIGH, "Rebalance partial", "body");

        DeliveryReport first = outbox.dispatch();
        clock.advance(java.time.Duration.ofMinutes(1));
        DeliveryReport second = outbox.dispatch();
        clock.advance(java.time.Duration.ofMinutes(1));
        DeliveryReport third = outbox.dispatch();

        assertThat(first.attempts()).containsExactly(
                new DeliveryReport.Attempt(id, "console", 1, true, null),
                new DeliveryReport.Attempt(id, "file", 1, false, "IllegalStateException: file is down"));
        assertThat(first.pending()).containsExactly(id);
        assertThat(second.attempts()).containsExactly(
                new DeliveryReport.Attempt(id, "file", 2, false, "IllegalStateException: file is down"));
        assertThat(third.attempts()).containsExactly(new DeliveryReport.Attempt(id, "file", 3, true, null));
        assertThat(third.settled()).containsExactly(id);
        assertThat(console.received()).containsExactly(id);
        assertThat(file.received()).containsExactly(id);
        assertThat(journal.events()).containsExactly(
                new NotificationQueued(id, "acct-1", "tx-1", Severity.HIGH, "Rebalance partial", "body", T0),
                new NotificationDelivered(id, "acct-1", "console", T0),
                new NotificationAttemptFailed(id, "acct-1", "file", 1, "IllegalStateException: file is down", T0),
                new NotificationAttemptFailed(id, "acct-1", "file", 2, "IllegalStateException: file is down",
                        T0.plusSeconds(60)),
                new NotificationDelivered(id, "acct-1", "file", T0.plusSeconds(120)),
                new NotificationSettled(id, "acct-1", true, T0.plusSeconds(120)));
    }

    @Test
    void channelDownForAnHourIsNeverGivenUpAndIsTriedAfterACappedDoublingWait() {
        file.failNext(Integer.MAX_VALUE);
        Outbox outbox = outbox(console, file);
        String id = outbox.enqueue("acct-1", "tx-1", Severity.CRITICAL, "Needs review", "body");

        List<Instant> tried = new java.util.ArrayList<>();
        for (int minute = 0; minute < 60; minute++) {
            for (int tick = 0; tick < 6; tick++) {
                outbox.dispatch().attempts().stream().filter(a -> a.channel().equals("file"))
                        .forEach(a -> tried.add(clock.instant()));
                clock.advance(java.time.Duration.ofSeconds(10));
            }
        }

        // waits of 10 s, 20 s, 40 s, 80 s, 160 s, then 300 s each: 16 attempts in the hour, not 360
        assertThat(tried).hasSize(16);
        assertThat(tried.subList(0, 7)).containsExactly(T0, T0.plusSeconds(10), T0.plusSeconds(30),
                T0.plusSeconds(70), T0.plusSeconds(150), T0.plusSeconds(310), T0.plusSeconds(610));
        assertThat(outbox.pending()).extracting(Notification::id).containsExactly(id);
        assertThat(journal.events()).noneMatch(NotificationSettled.class::isInstance);
        assertThat(outbox.backlog()).singleElement().satisfies(b -> assertThat(b.owed()).singleElement()
                .satisfies(o -> {
                    assertThat(o.channel()).isEqualTo("file");
                    assertThat(o.failures()).isEqualTo(16);
                    assertThat(o.lastError()).isEqualTo("IllegalStateException: file is down");
                    assertThat(o.nextTry()).isEqualTo(tried.getLast().plus(Outbox.DEFAULT_RETRY_MAX));
                }));

        file.failNext(0);
        clock.advance(Outbox.DEFAULT_RETRY_MAX);
        DeliveryReport back = outbox.dispatch();

        assertThat(back.settled()).containsExactly(id);
        assertThat(console.received()).containsExactly(id);
        assertThat(file.received()).containsExactly(id);
    }

    @Test
    void whileEveryChannelRestsADispatchDoesNotReadTheBacklog() {
        file.failNext(1);
        int[] reads = {0};
        dev.keel.core.journal.Journal counting = new dev.keel.core.journal.ForwardingJournal(journal) {
            @Override
            public List<dev.keel.core.journal.JournalRecord> stream(String streamId) {
                reads[0]++;
                return super.stream(streamId);
            }
        };
        Outbox outbox = Outbox.builder(counting, clock, new SplittableRandom(42)).channel(file).build();
        String id = outbox.enqueue("acct-1", "tx-1", Severity.HIGH, "Rebalance partial", "body");
        outbox.dispatch();
        reads[0] = 0;

        DeliveryReport resting = outbox.dispatch();

        assertThat(resting.attempts()).isEmpty();
        assertThat(resting.pending()).containsExactly(id);
        assertThat(reads[0]).isZero();
        clock.advance(Outbox.DEFAULT_RETRY_INITIAL);
        assertThat(outbox.dispatch().settled()).containsExactly(id);
    }

    /**
     * A backlog (1,000 notifications after a recovery) took one commit per notification; a round journals the
     * outcomes of up to {@link Outbox#JOURNAL_BATCH} notifications in one append, each still claimed until then.
     */
    @Test
    void aBacklogIsJournaledInAppendsOfManyNotifications() {
        int[] appends = {0};
        dev.keel.core.journal.Journal counting = new dev.keel.core.journal.ForwardingJournal(journal) {
            @Override
            public List<dev.keel.core.journal.JournalRecord> appendAll(
                    List<? extends dev.keel.core.journal.JournalEvent> events,
                    List<dev.keel.core.journal.StreamPosition> expected, dev.keel.core.journal.Fence fence) {
                appends[0]++;
                return super.appendAll(events, expected, fence);
            }
        };
        Outbox outbox = Outbox.builder(counting, clock, new SplittableRandom(42)).channel(file).build();
        int backlog = Outbox.JOURNAL_BATCH * 2 + 3;
        for (int i = 0; i < backlog; i++) {
            outbox.enqueue("acct-" + i, "tx-" + i, Severity.INFO, "Rebalance completed", "body");
        }
        appends[0] = 0;

        DeliveryReport report = outbox.dispatch();

        assertThat(report.settled()).hasSize(backlog);
        assertThat(file.received()).hasSize(backlog).doesNotHaveDuplicates();
        assertThat(appends[0]).isEqualTo(3);
        assertThat(journal.openStreams(JournalEvent.NOTIFICATION)).isEmpty();
        assertThat(journal.events()).filteredOn(NotificationDelivered.class::isInstance).hasSize(backlog);
    }

    /**
     * The engine dispatches after every operation; a round reads again only the notifications whose streams moved
     * since it last read them (with 32 rebalances at once, reading every open one each time was a third of the CPU).
     */
    @Test
    void aRoundReadsAgainOnlyTheNotificationsThatMoved() {
        List<String> reads = new java.util.concurrent.CopyOnWriteArrayList<>();
        Outbox outbox = Outbox.builder(countingStreamReads(reads), clock, new SplittableRandom(42)).channel(file)
                .build();
        for (int i = 0; i < 5; i++) {
            outbox.enqueue("acct-" + i, null, Severity.INFO, "Heads up " + i, "body");
        }
        assertThat(outbox.backlog()).hasSize(5);
        reads.clear();

        assertThat(outbox.backlog()).hasSize(5);
        assertThat(reads).as("nothing moved").isEmpty();

        // queued by another outbox (another process): this one learns of it by reading it
        String sixth = Outbox.builder(journal, clock, new SplittableRandom(7)).channel(file).build()
                .enqueue("acct-9", null, Severity.INFO, "Heads up 9", "body");
        reads.clear();
        assertThat(outbox.backlog()).hasSize(6);
        assertThat(reads).as("only the new one").containsExactly("notification:" + sixth);
    }

    /** An append of a batch that fails loses no notification: each is sent again by a later round (at least once). */
    @Test
    void aBatchWhoseAppendFailsIsSentAgainByALaterRound() {
        boolean[] failing = {true};
        dev.keel.core.journal.Journal flaky = new dev.keel.core.journal.ForwardingJournal(journal) {
            @Override
            public List<dev.keel.core.journal.JournalRecord> appendAll(
                    List<? extends dev.keel.core.journal.JournalEvent> events,
                    List<dev.keel.core.journal.StreamPosition> expected, dev.keel.core.journal.Fence fence) {
                if (failing[0] && events.stream().anyMatch(NotificationDelivered.class::isInstance)) {
                    throw new dev.keel.core.error.KeelException(dev.keel.core.error.ErrorCode.JOURNAL_WRITE_FAILED,
                            "disk full");
                }
                return super.appendAll(events, expected, fence);
            }
        };
        Outbox outbox = Outbox.builder(flaky, clock, new SplittableRandom(42)).channel(file).build();
        String first = outbox.enqueue("acct-1", "tx-1", Severity.INFO, "Rebalance completed", "body");
        String second = outbox.enqueue("acct-2", "tx-2", Severity.INFO, "Rebalance completed", "body");

        assertThatThrownBy(outbox::dispatch).isInstanceOf(dev.keel.core.error.KeelException.class);
        assertThat(file.received()).containsExactlyInAnyOrder(first, second);
        assertThat(journal.openStreams(JournalEvent.NOTIFICATION)).hasSize(2);

        failing[0] = false;
        assertThat(outbox.dispatch().settled()).containsExactlyInAnyOrder(first, second);
        assertThat(file.received()).hasSize(4);
        assertThat(journal.openStreams(JournalEvent.NOTIFICATION)).isEmpty();
    }

    @Test
    void aRoundSendsTheMostSevereFirstThenTheOldest() {
        Outbox outbox = outbox(console);
        String low = outbox.enqueue("acct-1", "tx-1", Severity.LOW, "low", "body");
        String high = outbox.enqueue("acct-1", "tx-2", Severity.HIGH, "high", "body");
        String critical = outbox.enqueue("acct-1", "tx-3", Severity.CRITICAL, "critical", "body");
        String high2 = outbox.enqueue("acct-1", "tx-4", Severity.HIGH, "high again", "body");

        outbox.dispatch();

        assertThat(console.received()).containsExactly(critical, high, high2, low);
    }

    @Test
    void aMessageTheChannelRefusesDoesNotKeepItClosedForTheOthers() {
        RecordingChannel picky = new RecordingChannel("picky") {
            @Override
            public void send(Notification n) {
                if (n.title().equals("poison")) {
                    throw new IllegalStateException("refused");
                }
                super.send(n);
            }
        };
        Outbox outbox = outbox(picky);
        String poison = outbox.enqueue("acct-1", "tx-1", Severity.CRITICAL, "poison", "body");
        String other = outbox.enqueue("acct-1", "tx-2", Severity.HIGH, "fine", "body");

        DeliveryReport first = outbox.dispatch();
        clock.advance(Outbox.DEFAULT_RETRY_INITIAL);
        DeliveryReport second = outbox.dispatch();

        // first: the poison fails and the channel rests; second: the others go before the poison is tried again
        assertThat(first.attempts()).extracting(DeliveryReport.Attempt::notificationId).containsExactly(poison);
        assertThat(second.attempts()).extracting(DeliveryReport.Attempt::notificationId, DeliveryReport.Attempt::delivered)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(other, true),
                        org.assertj.core.groups.Tuple.tuple(poison, false));
        assertThat(second.settled()).containsExactly(other);
        assertThat(second.pending()).containsExactly(poison);
    }

    @Test
    void restartedOutboxRedeliversOnlyToChannelsNotRecordedAsDelivered() {
        // Before the crash: queued and delivered to the console; the process died before the file channel ran.
        String id = outbox(console).enqueue("acct-1", "tx-1", Severity.HIGH, "Rebalance partial", "body");
        journal.append(new NotificationDelivered(id, "acct-1", "console", T0));
        RecordingChannel consoleAfterRestart = new RecordingChannel("console");

        DeliveryReport report = outbox(consoleAfterRestart, file).dispatch();

        assertThat(consoleAfterRestart.received()).isEmpty();
        assertThat(file.received()).containsExactly(id);
        assertThat(report.settled()).containsExactly(id);
    }

    @Test
    void channelAboveTheNotificationsSeverityIsNotSentAndDoesNotHoldItBack() {
        RecordingChannel pager = new RecordingChannel("pager", Severity.HIGH);
        Outbox outbox = outbox(console, pager);
        String info = outbox.enqueue("acct-1", "tx-1", Severity.INFO, "Rebalance completed", "body");
        String critical = outbox.enqueue("acct-1", "tx-2", Severity.CRITICAL, "Needs review", "body");

        DeliveryReport report = outbox.dispatch();

        assertThat(console.received()).containsExactly(critical, info);
        assertThat(pager.received()).containsExactly(critical);
        assertThat(report.settled()).containsExactly(critical, info);
    }

    @Test
    void dispatchWithoutChannelsLeavesTheOutboxAsItWas() {
        Outbox outbox = outbox();
        String id = outbox.enqueue("acct-1", "tx-1", Severity.HIGH, "Rebalance partial", "body");

        DeliveryReport report = outbox.dispatch();

        assertThat(report.attempts()).isEmpty();
        assertThat(journal.events()).hasSize(1);
        assertThat(outbox.pending()).extracting(Notification::id).containsExactly(id);
    }

    @Test
    void builderNamesTheBoundAndTheValue() {
        assertThatThrownBy(() -> Outbox.builder(journal, clock, new SplittableRandom(1))
                .retryBackoff(java.time.Duration.ofMinutes(1), java.time.Duration.ofSeconds(10)))
                .hasMessage("retry max backoff must be at least the initial PT1M, but was PT10S");
        assertThatThrownBy(() -> outbox(console, new RecordingChannel("console")))
                .hasMessage("channel names must be unique, but 'console' was given twice");
    }
}
