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

    private Outbox outbox(int maxAttempts, NotificationChannel... channels) {
        return Outbox.builder(journal, clock, new SplittableRandom(42)).channels(List.of(channels))
                .maxAttempts(maxAttempts).build();
    }

    @Test
    void queuedNotificationIsDeliveredToEveryChannelAndSettled() {
        Outbox outbox = outbox(5, console, file);
        String id = outbox.enqueue("acct-1", "tx-1", Severity.HIGH, "Rebalance partial", "TLT buy failed");

        DeliveryReport report = outbox.dispatch();

        assertThat(console.received()).containsExactly(id);
        assertThat(file.received()).containsExactly(id);
        assertThat(report.settled()).containsExactly(id);
        assertThat(report.undelivered()).isEmpty();
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

    @Test
    void enqueueIsIdempotentForTheSameTransactionAndTitle() {
        Outbox outbox = outbox(5, console);
        String first = outbox.enqueue("acct-1", "tx-1", Severity.HIGH, "Rebalance partial", "body");
        String again = outbox.enqueue("acct-1", "tx-1", Severity.HIGH, "Rebalance partial", "body");
        String other = outbox.enqueue("acct-1", "tx-1", Severity.INFO, "Rebalance completed", "body");

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(journal.events()).hasSize(2);
        assertThat(outbox(5, console).prepare("acct-1", "tx-1", Severity.HIGH, "Rebalance partial", "x")
                .notificationId()).isEqualTo(first);
    }

    @Test
    void idsWithoutTransactionComeFromTheSeededGeneratorAndNeverReuseOneInTheJournal() {
        String first = outbox(5, console).enqueue("acct-1", null, Severity.INFO, "Hello", "body");
        // A restarted outbox with the same seed draws the same id first, finds it taken and draws again.
        String second = outbox(5, console).enqueue("acct-1", null, Severity.INFO, "Hello", "body");
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
        Outbox outbox = outbox(5, console, file);
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
    void channelFailingEveryAttemptSettlesUndeliveredAfterMaxAttempts() {
        file.failNext(Integer.MAX_VALUE);
        Outbox outbox = outbox(3, console, file);
        String id = outbox.enqueue("acct-1", "tx-1", Severity.CRITICAL, "Needs review", "body");

        DeliveryReport first = outbox.dispatch();
        DeliveryReport second = outbox.dispatch();
        DeliveryReport third = outbox.dispatch();
        DeliveryReport after = outbox.dispatch();

        assertThat(first.pending()).containsExactly(id);
        assertThat(second.pending()).containsExactly(id);
        assertThat(third.attempts()).extracting(DeliveryReport.Attempt::attempt).containsExactly(3);
        assertThat(third.undelivered()).containsExactly(id);
        assertThat(third.pending()).isEmpty();
        assertThat(after.attempts()).isEmpty();
        assertThat(console.received()).containsExactly(id);
        assertThat(journal.events()).last().isEqualTo(new NotificationSettled(id, "acct-1", false, T0));
        assertThat(journal.events()).filteredOn(NotificationAttemptFailed.class::isInstance).hasSize(3);
        assertThat(outbox.pending()).isEmpty();
    }

    @Test
    void restartedOutboxRedeliversOnlyToChannelsNotRecordedAsDelivered() {
        // Before the crash: queued and delivered to the console; the process died before the file channel ran.
        String id = outbox(5, console).enqueue("acct-1", "tx-1", Severity.HIGH, "Rebalance partial", "body");
        journal.append(new NotificationDelivered(id, "acct-1", "console", T0));
        RecordingChannel consoleAfterRestart = new RecordingChannel("console");

        DeliveryReport report = outbox(5, consoleAfterRestart, file).dispatch();

        assertThat(consoleAfterRestart.received()).isEmpty();
        assertThat(file.received()).containsExactly(id);
        assertThat(report.settled()).containsExactly(id);
    }

    @Test
    void channelAboveTheNotificationsSeverityIsNotSentAndDoesNotHoldItBack() {
        RecordingChannel pager = new RecordingChannel("pager", Severity.HIGH);
        Outbox outbox = outbox(5, console, pager);
        String info = outbox.enqueue("acct-1", "tx-1", Severity.INFO, "Rebalance completed", "body");
        String critical = outbox.enqueue("acct-1", "tx-2", Severity.CRITICAL, "Needs review", "body");

        DeliveryReport report = outbox.dispatch();

        assertThat(console.received()).containsExactly(info, critical);
        assertThat(pager.received()).containsExactly(critical);
        assertThat(report.settled()).containsExactly(info, critical);
    }

    @Test
    void dispatchWithoutChannelsLeavesTheOutboxAsItWas() {
        Outbox outbox = outbox(5);
        String id = outbox.enqueue("acct-1", "tx-1", Severity.HIGH, "Rebalance partial", "body");

        DeliveryReport report = outbox.dispatch();

        assertThat(report.attempts()).isEmpty();
        assertThat(journal.events()).hasSize(1);
        assertThat(outbox.pending()).extracting(Notification::id).containsExactly(id);
    }

    @Test
    void builderNamesTheBoundAndTheValue() {
        assertThatThrownBy(() -> outbox(0)).hasMessage("maxAttempts must be at least 1, but was 0");
        assertThatThrownBy(() -> outbox(5, console, new RecordingChannel("console")))
                .hasMessage("channel names must be unique, but 'console' was given twice");
    }
}
