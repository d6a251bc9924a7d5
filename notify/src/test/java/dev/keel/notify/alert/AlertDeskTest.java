package dev.keel.notify.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.error.Severity;
import dev.keel.core.journal.AlertEscalated;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.JournalSamples;
import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.notify.Outbox;
import dev.keel.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AlertDeskTest {
    private static final Instant T0 = Instant.parse("2026-03-02T15:01:00Z");

    private final MemoryJournal journal = new MemoryJournal();
    private final ManualClock clock = new ManualClock(T0);
    private final Recorder log = new Recorder("console");
    private final Recorder email = new Recorder("email");
    private final Recorder slack = new Recorder("slack");
    private final Recorder sms = new Recorder("sms");
    private final SeverityRouting routing = SeverityRouting.defaults(List.of("console"), List.of("email"),
            List.of("slack"), List.of(), List.of("sms"));
    private final EscalationPolicy policy = EscalationPolicy.defaults(List.of("sms"), List.of("email", "slack"));

    /** A fresh outbox and desk over the same journal: what a restarted process builds. */
    private record Keel(Outbox outbox, AlertDesk desk) {
    }

    private Keel start() {
        Outbox outbox = Outbox.builder(journal, clock, new SplittableRandom(1)).channels(List.of(log, email, slack, sms))
                .routing(routing).firstSendEvents(AlertDesk.raising(policy, clock)).sendTimeout(Duration.ZERO)
                .build();
        return new Keel(outbox, new AlertDesk(journal, outbox, clock, policy));
    }

    @Test
    void defaultRoutingSendsCriticalEverywhereHighToMailAndSlackMediumToSlackLowToTheLog() {
        Keel keel = start();
        keel.outbox().enqueue("main", null, Severity.CRITICAL, "critical", "b");
        keel.outbox().enqueue("main", null, Severity.HIGH, "high", "b");
        keel.outbox().enqueue("main", null, Severity.MEDIUM, "medium", "b");
        keel.outbox().enqueue("main", null, Severity.LOW, "low", "b");

        keel.outbox().dispatch();

        assertThat(log.titles()).containsExactly("critical", "high", "medium", "low");
        assertThat(email.titles()).containsExactly("critical", "high");
        assertThat(slack.titles()).containsExactly("critical", "high", "medium");
        assertThat(sms.titles()).containsExactly("critical");
    }

    @Test
    void highUnacknowledgedForFifteenMinutesPagesBySmsOnce() {
        Keel keel = start();
        keel.outbox().enqueue("main", null, Severity.HIGH, "Account main REDUCING (was ACTIVE)", "b");
        keel.outbox().dispatch();
        assertThat(keel.desk().open()).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(Alert.Status.OPEN);
            assertThat(a.tier()).isZero();
        });

        clock.advance(Duration.ofMinutes(14).plusSeconds(59));
        assertThat(keel.desk().escalate()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        List<AlertDesk.Escalation> made = keel.desk().escalate();
        keel.outbox().dispatch();

        assertThat(made).singleElement().satisfies(e -> {
            assertThat(e.tier()).isEqualTo(1);
            assertThat(e.channels()).containsExactly("sms");
        });
        assertThat(sms.titles()).containsExactly(
                "ESCALATED (tier 1, unacknowledged 15 min): Account main REDUCING (was ACTIVE)");
        assertThat(email.titles()).containsExactly("Account main REDUCING (was ACTIVE)");
        assertThat(slack.titles()).containsExactly("Account main REDUCING (was ACTIVE)");

        clock.advance(Duration.ofHours(1));
        assertThat(keel.desk().escalate()).isEmpty();
        keel.outbox().dispatch();
        assertThat(sms.titles()).hasSize(1);
        assertThat(keel.desk().open()).singleElement().satisfies(a -> assertThat(a.tier()).isEqualTo(1));
    }

    @Test
    void restartAfterTheEscalationWasJournaledSendsItOnceAndDoesNotRepeatIt() {
        Keel before = start();
        before.outbox().enqueue("main", null, Severity.HIGH, "high", "b");
        before.outbox().dispatch();
        clock.advance(Duration.ofMinutes(15));
        assertThat(before.desk().escalate()).hasSize(1);
        // the process dies here, before the page is dispatched

        Keel after = start();
        assertThat(after.desk().escalate()).isEmpty();
        after.outbox().dispatch();
        after.outbox().dispatch();

        assertThat(sms.titles()).singleElement().asString().startsWith("ESCALATED (tier 1");
        assertThat(escalations()).hasSize(1);
    }

    @Test
    void escalationDueWhileNothingRanIsMadeByTheNextCallAfterARestart() {
        Keel before = start();
        before.outbox().enqueue("main", null, Severity.HIGH, "high", "b");
        before.outbox().dispatch();

        clock.advance(Duration.ofHours(3));
        Keel after = start();
        assertThat(after.desk().escalate()).hasSize(1);
        after.outbox().dispatch();

        assertThat(sms.titles()).singleElement().asString().startsWith("ESCALATED (tier 1, unacknowledged 180 min)");
    }

    @Test
    void acknowledgedAlertEscalatesNoFurther() {
        Keel keel = start();
        keel.outbox().enqueue("main", null, Severity.HIGH, "high", "b");
        keel.outbox().dispatch();
        String id = keel.desk().open().getFirst().id();

        clock.advance(Duration.ofMinutes(5));
        Alert acked = keel.desk().acknowledge(id, "ana", "looking");
        clock.advance(Duration.ofMinutes(30));

        assertThat(acked.status()).isEqualTo(Alert.Status.ACKNOWLEDGED);
        assertThat(acked.acknowledged()).isEqualTo("ana");
        assertThat(keel.desk().escalate()).isEmpty();
        assertThat(keel.desk().acknowledge(id, "bo", null).acknowledged()).isEqualTo("ana");
    }

    @Test
    void resolvedAlertLeavesTheOpenListKeepsItsNoteAndRefusesFurtherChanges() {
        Keel keel = start();
        keel.outbox().enqueue("main", null, Severity.MEDIUM, "medium", "b");
        keel.outbox().dispatch();
        String id = keel.desk().open().getFirst().id();

        Alert resolved = keel.desk().resolve(id, "ana", "  re-ran keel reconcile  ");

        assertThat(resolved.status()).isEqualTo(Alert.Status.RESOLVED);
        assertThat(resolved.resolution()).isEqualTo("re-ran keel reconcile");
        assertThat(keel.desk().open()).isEmpty();
        assertThatThrownBy(() -> keel.desk().acknowledge(id, "bo", null)).isInstanceOf(KeelException.class)
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.REQUEST_REFUSED));
        assertThatThrownBy(() -> keel.desk().resolve("nope", "bo", "x"))
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.UNKNOWN_ID));
        assertThatThrownBy(() -> keel.desk().resolve(id, "bo", " ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lowSeverityAndEscalationPagesRaiseNoAlert() {
        Keel keel = start();
        keel.outbox().enqueue("main", null, Severity.LOW, "low", "b");
        keel.outbox().enqueue("main", null, Severity.HIGH, "high", "b");
        keel.outbox().dispatch();
        clock.advance(Duration.ofMinutes(15));
        keel.desk().escalate();
        keel.outbox().dispatch();

        assertThat(keel.desk().open()).extracting(Alert::title).containsExactly("high");
    }

    @Test
    void alertCarriesTheTransactionsEndingCodeForItsRunbook() {
        Keel keel = start();
        journal.append(JournalSamples.ended("tx-1", "main", TransactionStatus.PARTIAL, T0));
        keel.outbox().enqueue("main", "tx-1", Severity.CRITICAL, "Account main HALTED", "b");
        keel.outbox().dispatch();

        assertThat(keel.desk().open().getFirst().code()).isEqualTo(ErrorCode.ORDER_REJECTED);
    }

    @Test
    void pastResolutionsOfACodeComeMostFrequentFirst() {
        Keel keel = start();
        String[] notes = {"Re-ran keel reconcile", "replaced the ticker", "re-ran  KEEL reconcile", "replaced the ticker",
            "re-ran keel reconcile", "called the broker"};
        for (int i = 0; i < notes.length; i++) {
            journal.append(JournalSamples.ended("tx-" + i, "main", TransactionStatus.PARTIAL, T0));
            keel.outbox().enqueue("main", "tx-" + i, Severity.HIGH, "partial " + i, "b");
            keel.outbox().dispatch();
            clock.advance(Duration.ofMinutes(1));
            keel.desk().resolve(keel.desk().open().getFirst().id(), "ana", notes[i]);
        }

        List<AlertDesk.PastResolution> past = keel.desk().resolutions(ErrorCode.ORDER_REJECTED);

        assertThat(past).extracting(AlertDesk.PastResolution::note, AlertDesk.PastResolution::times).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Re-ran keel reconcile", 3),
                org.assertj.core.groups.Tuple.tuple("replaced the ticker", 2),
                org.assertj.core.groups.Tuple.tuple("called the broker", 1));
        assertThat(keel.desk().resolutions(ErrorCode.BROKER_TIMEOUT)).isEmpty();
    }

    private List<AlertEscalated> escalations() {
        List<AlertEscalated> out = new ArrayList<>();
        journal.replay(0, (JournalRecord r) -> {
            if (r.event() instanceof AlertEscalated e) {
                out.add(e);
            }
        });
        return out;
    }
}
