package dev.keel.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.error.Severity;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.journal.NotificationAttemptFailed;
import dev.keel.core.notify.DeliveryReport;
import dev.keel.core.notify.Outbox;
import dev.keel.core.time.ManualClock;
import dev.keel.notify.http.SlackChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An HTTP channel behind the real outbox: a failure is journaled without the secret and retried. */
class OutboxChannelsTest {
    private final Receiver slack = new Receiver();
    private final Secret url = Secret.of(slack.url("/services/T1/B1/tok3nPart"), "test");
    private final MemoryJournal journal = new MemoryJournal();
    private final ManualClock clock = new ManualClock(Samples.T0);

    @AfterEach
    void stop() {
        slack.close();
    }

    @Test
    void failingSlackIsRetriedAndItsAddressNeverReachesTheJournal() {
        Outbox outbox = Outbox.builder(journal, clock, new SplittableRandom(7))
                .channel(new SlackChannel("slack", Severity.INFO, url, Links.DEFAULTS, Duration.ofSeconds(5)))
                .build();
        String id = outbox.enqueue("main", null, Severity.HIGH, "Rebalance PARTIAL", "DBC rejected");
        slack.answer(500, "upstream broke while posting to " + url.reveal());

        DeliveryReport first = outbox.dispatch();

        assertThat(first.pending()).containsExactly(id);
        assertThat(first.attempts().getFirst().error()).contains("HTTP 500").doesNotContain("tok3nPart");

        slack.answer(200, "ok");
        clock.advance(Outbox.DEFAULT_RETRY_INITIAL); // the channel rests after its failure
        DeliveryReport second = outbox.dispatch();

        assertThat(second.settled()).containsExactly(id);
        assertThat(slack.requests()).hasSize(2);
        List<JournalRecord> all = new ArrayList<>();
        journal.replay(0, all::add);
        assertThat(all).anyMatch(r -> r.event() instanceof NotificationAttemptFailed);
        assertThat(all).allSatisfy(r -> assertThat(r.event().toString()).doesNotContain("tok3nPart"));
    }
}
