package dev.keel.notify.pattern;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.NotificationQueued;
import dev.keel.notify.history.ErrorJournal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pattern detection on seeded journals: a week of background errors on five accounts (about two a day for each
 * account and code), then each pattern planted on top. Each is found when planted, and nothing is found in the
 * background alone or in a near miss.
 */
class PatternDetectorTest {
    private static final Instant NOW = Instant.parse("2026-03-09T18:00:00Z");
    private static final Duration WEEK = Duration.ofDays(7);
    private static final Instant FROM = NOW.minus(WEEK);
    private static final ErrorCode[] NOISE = {ErrorCode.BROKER_TIMEOUT, ErrorCode.QUOTE_STALE,
        ErrorCode.ORDER_REJECTED};

    private final ErrorJournal history = new ErrorJournal(5);

    private PatternDetector detector() {
        return new PatternDetector(history.journal(), PatternSettings.DEFAULTS,
                account -> account.startsWith("acct-") ? "alpaca" : null);
    }

    @BeforeEach
    void background() {
        history.watchingSince(FROM);
        for (int a = 1; a <= 5; a++) {
            for (ErrorCode code : NOISE) {
                history.errors(14, FROM, WEEK, "acct-" + a, code);
            }
        }
    }

    private List<ErrorPattern> found() {
        return detector().find(NOW, WEEK).patterns();
    }

    @Test
    void theBackgroundAloneHoldsNoPattern() {
        PatternDetector.Report report = detector().find(NOW, WEEK);

        assertThat(report.errors()).isEqualTo(5 * 3 * 14);
        assertThat(report.patterns()).isEmpty();
    }

    @Test
    void aBurstOnOneAccountIsFoundWithItsCountAndSpan() {
        Instant at = NOW.minus(Duration.ofHours(30));
        history.errors(25, at, Duration.ofMinutes(3), "acct-2", ErrorCode.BROKER_TIMEOUT);

        assertThat(found()).singleElement().isInstanceOfSatisfying(ErrorPattern.Burst.class, b -> {
            assertThat(b.scope()).isEqualTo("acct-2");
            assertThat(b.code()).isEqualTo(ErrorCode.BROKER_TIMEOUT);
            assertThat(b.count()).isEqualTo(25);
            assertThat(b.firstAt()).isAfterOrEqualTo(at);
            assertThat(b.lastAt()).isBefore(at.plus(Duration.ofMinutes(3)));
        });
    }

    @Test
    void nineErrorsInFiveMinutesAreNoBurst() {
        history.errors(9, NOW.minus(Duration.ofHours(30)), Duration.ofMinutes(5), "acct-2", ErrorCode.BROKER_TIMEOUT);

        assertThat(found()).isEmpty();
    }

    @Test
    void theSameErrorOnFourAccountsAtOncePointsAtTheirBroker() {
        Instant at = NOW.minus(Duration.ofHours(50));
        for (int a = 1; a <= 4; a++) {
            history.error(at.plusSeconds(25L * a), "acct-" + a, ErrorCode.BROKER_UNAVAILABLE);
        }

        assertThat(found()).singleElement().isInstanceOfSatisfying(ErrorPattern.Correlation.class, c -> {
            assertThat(c.accounts()).containsExactly("acct-1", "acct-2", "acct-3", "acct-4");
            assertThat(c.scope()).isEqualTo("broker:alpaca");
            assertThat(c.count()).isEqualTo(4);
            assertThat(c.title()).isEqualTo("BROKER_UNAVAILABLE on 4 accounts at once: alpaca, not the accounts");
        });
    }

    @Test
    void twoAccountsAtOnceOrFourAnHourApartAreNoCorrelation() {
        Instant at = NOW.minus(Duration.ofHours(50));
        history.error(at, "acct-1", ErrorCode.BROKER_UNAVAILABLE).error(at.plusSeconds(30), "acct-2",
                ErrorCode.BROKER_UNAVAILABLE);
        for (int a = 1; a <= 4; a++) {
            history.error(at.plus(Duration.ofHours(a + 1)), "acct-" + a, ErrorCode.BROKER_UNAVAILABLE);
        }

        assertThat(found()).isEmpty();
    }

    @Test
    void theSameErrorAroundTheSameTimeOnFiveDaysRecurs() {
        for (int day = 1; day <= 5; day++) {
            Instant nineThirty = NOW.minus(Duration.ofDays(day)).atOffset(java.time.ZoneOffset.UTC)
                    .with(LocalTime.of(9, 28)).toInstant();
            history.errors(2, nineThirty, Duration.ofMinutes(6), "acct-3", ErrorCode.QUOTE_MISSING);
        }

        assertThat(found()).singleElement().isInstanceOfSatisfying(ErrorPattern.Recurrence.class, r -> {
            assertThat(r.scope()).isEqualTo("acct-3");
            assertThat(r.days()).hasSize(5);
            assertThat(r.count()).isEqualTo(10);
            assertThat(r.from()).isBetween(LocalTime.of(9, 0), LocalTime.of(9, 30));
        });
    }

    @Test
    void anErrorThatComesAtAllHoursDoesNotRecur() {
        history.errors(60, FROM, WEEK, "acct-3", ErrorCode.QUOTE_MISSING);

        assertThat(found()).noneMatch(ErrorPattern.Recurrence.class::isInstance);
    }

    @Test
    void anErrorReliablyFollowedByAnotherIsASequence() {
        for (int i = 0; i < 8; i++) {
            Instant at = FROM.plus(Duration.ofHours(7 + 19L * i));
            history.error(at, "acct-4", ErrorCode.BROKER_SERVER_ERROR)
                    .error(at.plusSeconds(60 + history.random().nextInt(120)), "acct-4",
                            ErrorCode.RECONCILIATION_MISMATCH);
        }

        assertThat(found()).singleElement().isInstanceOfSatisfying(ErrorPattern.Sequence.class, s -> {
            assertThat(s.code()).isEqualTo(ErrorCode.BROKER_SERVER_ERROR);
            assertThat(s.then()).isEqualTo(ErrorCode.RECONCILIATION_MISMATCH);
            assertThat(s.followed()).isEqualTo(8);
            assertThat(s.leaders()).isEqualTo(8);
            assertThat(s.medianLag()).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(180));
            assertThat(s.lift()).isGreaterThan(2);
        });
    }

    @Test
    void anErrorFollowedByAnotherOnlyHalfTheTimeIsNoSequence() {
        for (int i = 0; i < 10; i++) {
            Instant at = FROM.plus(Duration.ofHours(7 + 15L * i));
            history.error(at, "acct-4", ErrorCode.BROKER_SERVER_ERROR);
            if (i % 2 == 0) {
                history.error(at.plusSeconds(90), "acct-4", ErrorCode.RECONCILIATION_MISMATCH);
            }
        }

        assertThat(found()).isEmpty();
    }

    @Test
    void eachPatternIsQueuedOnceAsAnAlertWithItsEvidence() {
        Instant at = NOW.minus(Duration.ofHours(50));
        for (int a = 1; a <= 4; a++) {
            history.error(at.plusSeconds(25L * a), "acct-" + a, ErrorCode.BROKER_UNAVAILABLE);
        }
        history.errors(25, NOW.minus(Duration.ofHours(30)), Duration.ofMinutes(3), "acct-2",
                ErrorCode.BROKER_TIMEOUT);

        PatternDetector.Report first = detector().run(NOW, WEEK);
        PatternDetector.Report again = detector().run(NOW.plus(Duration.ofMinutes(10)), WEEK);

        assertThat(first.patterns()).hasSize(2);
        assertThat(first.queued()).hasSize(2);
        assertThat(again.patterns()).hasSize(2);
        assertThat(again.queued()).isEmpty();
        List<NotificationQueued> queued = history.journal().all().stream().map(JournalRecord::event)
                .filter(NotificationQueued.class::isInstance).map(NotificationQueued.class::cast).toList();
        assertThat(queued).extracting(NotificationQueued::title).containsExactly(
                "Pattern: BROKER_UNAVAILABLE on 4 accounts at once: alpaca, not the accounts",
                "Pattern: Burst of 25 BROKER_TIMEOUT on account acct-2 in " + minutes(first.patterns().get(1)));
        assertThat(queued.getFirst().accountId()).isEqualTo("broker:alpaca");
        assertThat(queued.getFirst().body()).contains("4 BROKER_UNAVAILABLE errors on 4 accounts (acct-1, acct-2, "
                + "acct-3, acct-4)");
    }

    private static String minutes(ErrorPattern p) {
        long s = Duration.between(p.firstAt(), p.lastAt()).toSeconds();
        return s < 120 ? s + " s" : (s / 60) + " min";
    }
}
