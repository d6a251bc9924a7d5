package dev.keel.notify.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.error.Severity;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.journal.NotificationGrouped;
import dev.keel.core.notify.AbstractChannel;
import dev.keel.core.notify.Notification;
import dev.keel.core.notify.Outbox;
import dev.keel.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Rate limits and grouping behind the real outbox, on injected time. */
class RateLimitsTest {
    private static final Instant T0 = Instant.parse("2026-03-02T15:01:00Z");

    private final MemoryJournal journal = new MemoryJournal();
    private final ManualClock clock = new ManualClock(T0);
    private final Sink slack = new Sink("slack");
    private final Outbox outbox = Outbox.builder(journal, clock, new SplittableRandom(3)).channel(slack)
            .throttle(new RateLimits(RateLimits.DEFAULTS)).sendTimeout(Duration.ZERO).build();

    /** Records every message it is sent. */
    static final class Sink extends AbstractChannel {
        final List<Notification> got = new ArrayList<>();
        boolean down;

        Sink(String name) {
            super(name, Severity.INFO);
        }

        @Override
        public void send(Notification n) {
            if (down) {
                throw new IllegalStateException("down");
            }
            got.add(n);
        }

        List<String> titles() {
            return got.stream().map(Notification::title).toList();
        }
    }

    @Test
    void fiftyOfTheSameErrorOnOneAccountAreOneMessageThenOneSummary() {
        for (int i = 0; i < 50; i++) {
            outbox.enqueue("main", null, Severity.HIGH, "Broker timeout", "attempt " + i);
            outbox.dispatch();
            clock.advance(Duration.ofSeconds(10));
        }
        assertThat(slack.titles()).containsExactly("Broker timeout");
        assertThat(outbox.pending()).hasSize(49);

        clock.advance(Duration.ofMinutes(15));
        outbox.dispatch();

        assertThat(slack.titles()).containsExactly("Broker timeout", "Broker timeout (and 48 more like this)");
        assertThat(slack.got.get(1).body()).contains("And 48 more like this since 2026-03-02T15:01:20Z");
        assertThat(outbox.pending()).isEmpty();
        assertThat(grouped()).hasSize(48);
    }

    @Test
    void criticalLimitOfFivePerFiveMinutesHoldsTheRestAndSummarisesEachErrorNextTime() {
        for (int i = 0; i < 8; i++) {
            outbox.enqueue("acct-" + i, null, Severity.CRITICAL, "Account acct-" + i + " HALTED", "b");
        }
        outbox.dispatch();
        assertThat(slack.titles()).hasSize(5);
        for (int i = 0; i < 3; i++) {
            outbox.enqueue("acct-0", null, Severity.CRITICAL, "Account acct-0 HALTED", "again " + i);
        }
        outbox.dispatch();
        assertThat(slack.titles()).hasSize(5);

        clock.advance(Duration.ofMinutes(5));
        outbox.dispatch();

        assertThat(slack.titles()).containsExactly("Account acct-0 HALTED", "Account acct-1 HALTED",
                "Account acct-2 HALTED", "Account acct-3 HALTED", "Account acct-4 HALTED",
                "Account acct-5 HALTED", "Account acct-6 HALTED", "Account acct-7 HALTED",
                "Account acct-0 HALTED (and 2 more like this)");
        assertThat(outbox.pending()).isEmpty();
    }

    @Test
    void differentAccountsAreDifferentErrorsAndLowIsNeverHeld() {
        outbox.enqueue("a", null, Severity.MEDIUM, "Quote stale", "b");
        outbox.enqueue("b", null, Severity.MEDIUM, "Quote stale", "b");
        for (int i = 0; i < 30; i++) {
            outbox.enqueue("a", null, Severity.LOW, "Data gap " + i, "b");
        }
        outbox.dispatch();

        assertThat(slack.titles()).hasSize(32);
    }

    @Test
    void sameErrorWaitsForTheFailingSendOfItsFirstAndRidesOnItWhenTheChannelIsBack() {
        slack.down = true;
        for (int i = 0; i < 6; i++) {
            outbox.enqueue("main", null, Severity.HIGH, "Broker timeout", "n" + i);
        }
        outbox.dispatch();
        outbox.dispatch();
        // the first failed twice (to be retried); the others wait for it: none was sent, none is lost
        assertThat(slack.got).isEmpty();
        assertThat(outbox.pending()).hasSize(6);

        slack.down = false;
        clock.advance(Duration.ofMinutes(1));
        outbox.dispatch();

        assertThat(slack.titles()).containsExactly("Broker timeout (and 5 more like this)");
        assertThat(outbox.pending()).isEmpty();
        assertThat(grouped()).extracting(NotificationGrouped::leaderId).containsOnly(slack.got.getFirst().id())
                .hasSize(5);
    }

    private List<NotificationGrouped> grouped() {
        List<NotificationGrouped> out = new ArrayList<>();
        journal.replay(0, (JournalRecord r) -> {
            if (r.event() instanceof NotificationGrouped g) {
                out.add(g);
            }
        });
        return out;
    }
}
