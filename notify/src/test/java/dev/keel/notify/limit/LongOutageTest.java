package dev.keel.notify.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.journal.NotificationDelivered;
import dev.keel.core.journal.NotificationGrouped;
import dev.keel.core.journal.NotificationQueued;
import dev.keel.core.journal.NotificationSettled;
import dev.keel.core.notify.Outbox;
import dev.keel.core.time.ManualClock;
import dev.keel.notify.Links;
import dev.keel.notify.Receiver;
import dev.keel.notify.Secret;
import dev.keel.notify.http.SlackChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: a Slack webhook (a real local HTTP receiver) down for an hour while 1,000 alerts queue up, then back.
 * Nothing is lost, the backlog goes out most severe first, and the rate limits hold throughout. Time is a
 * ManualClock advanced by 30 s between dispatch rounds; the alerts come from a seeded generator.
 */
class LongOutageTest {
    private static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");
    private static final Duration ROUND = Duration.ofSeconds(30);
    private static final Duration OUTAGE = Duration.ofHours(1);
    private static final int ALERTS = 1000;
    private static final ErrorCode[] CODES = {ErrorCode.BROKER_TIMEOUT, ErrorCode.BROKER_UNAVAILABLE,
        ErrorCode.ORDER_REJECTED, ErrorCode.QUOTE_STALE, ErrorCode.RECONCILIATION_MISMATCH};
    private static final Pattern ID = Pattern.compile("id `(n-[^`]+)`");
    private static final Pattern MORE = Pattern.compile("and (\\d+) more like this");

    private final Receiver slack = new Receiver();
    private final MemoryJournal journal = new MemoryJournal();
    private final ManualClock clock = new ManualClock(T0);
    private final Outbox outbox = Outbox.builder(journal, clock, new SplittableRandom(14))
            .channel(new SlackChannel("slack", Severity.INFO, Secret.of(slack.url("/services/T1/B1/x"), "test"),
                    Links.DEFAULTS, Duration.ofSeconds(5)))
            .throttle(new RateLimits(RateLimits.DEFAULTS)).sendTimeout(Duration.ZERO).build();

    @AfterEach
    void stop() {
        slack.close();
    }

    @Test
    void anHourDownWithAThousandAlertsLosesNoneAndSendsTheBacklogMostSevereFirstWithinTheLimits() {
        SplittableRandom random = new SplittableRandom(20260302L);
        Map<String, Severity> queued = new HashMap<>();
        slack.answer(503, "service unavailable");
        Instant back = T0.plus(OUTAGE);
        int made = 0;
        while (clock.instant().isBefore(back)) {
            // the alerts of this round, spread evenly over the hour
            int due = (int) (ALERTS * Duration.between(T0, clock.instant().plus(ROUND)).toMillis() / OUTAGE.toMillis());
            for (; made < Math.min(due, ALERTS); made++) {
                Severity severity = severity(random.nextInt(100));
                String account = "acct-" + random.nextInt(12);
                ErrorCode code = CODES[random.nextInt(CODES.length)];
                NotificationQueued q = outbox.prepare(account, null, severity, code, code + " on " + account,
                        "occurrence " + made, null);
                journal.append(q);
                queued.put(q.notificationId(), severity);
            }
            outbox.dispatch();
            clock.advance(ROUND);
        }
        int probes = slack.requests().size();
        assertThat(queued).hasSize(ALERTS);
        assertThat(outbox.pending()).hasSize(ALERTS);
        // the channel rests between attempts (doubling to 5 minutes): a few probes, not one per alert per round
        assertThat(probes).isBetween(10, 20);

        slack.answer(200, "ok");
        Instant deadline = back.plus(Duration.ofHours(12));
        while (!outbox.pending().isEmpty() && clock.instant().isBefore(deadline)) {
            outbox.dispatch();
            clock.advance(ROUND);
        }

        assertThat(outbox.pending()).isEmpty();
        List<JournalRecord> all = new ArrayList<>();
        journal.replay(0, all::add);
        List<NotificationDelivered> delivered = new ArrayList<>();
        Map<String, String> carriedBy = new HashMap<>();
        Set<String> settled = new HashSet<>();
        for (JournalRecord r : all) {
            switch (r.event()) {
                case NotificationDelivered d -> delivered.add(d);
                case NotificationGrouped g -> carriedBy.put(g.notificationId(), g.leaderId());
                case NotificationSettled s -> {
                    assertThat(s.delivered()).isTrue();
                    settled.add(s.notificationId());
                }
                default -> {
                }
            }
        }
        // every alert accounted for: delivered in its own message, or carried by one that was
        Set<String> leaders = new HashSet<>();
        delivered.forEach(d -> leaders.add(d.notificationId()));
        assertThat(settled).isEqualTo(queued.keySet());
        for (String id : queued.keySet()) {
            assertThat(leaders.contains(id) || leaders.contains(carriedBy.get(id))).as(id).isTrue();
        }
        assertThat(leaders.size() + carriedBy.size()).isEqualTo(ALERTS);
        // 12 accounts x 5 codes x 4 severities: at most one message per error per window, the rest summarised
        assertThat(leaders.size()).isLessThan(ALERTS / 2);

        // what reached the receiver after the outage: one request per delivery, each summary counting what it carried
        List<Receiver.Request> received = slack.requests().subList(probes, slack.requests().size());
        assertThat(received).hasSize(delivered.size());
        Map<String, Integer> carries = new HashMap<>();
        carriedBy.values().forEach(l -> carries.merge(l, 1, Integer::sum));
        for (int i = 0; i < received.size(); i++) {
            String body = received.get(i).body();
            Matcher id = ID.matcher(body);
            assertThat(id.find()).isTrue();
            assertThat(id.group(1)).isEqualTo(delivered.get(i).notificationId());
            Matcher more = MORE.matcher(body);
            int expected = carries.getOrDefault(id.group(1), 0);
            if (expected == 0) {
                assertThat(more.find()).as(body).isFalse();
            } else {
                assertThat(more.find()).as(body).isTrue();
                assertThat(Integer.parseInt(more.group(1))).isEqualTo(expected);
            }
        }

        // most severe first: the severities of the messages never rise again
        List<Severity> order = delivered.stream().map(d -> queued.get(d.notificationId())).toList();
        for (int i = 1; i < order.size(); i++) {
            assertThat(order.get(i).atLeast(order.get(i - 1)) && order.get(i) != order.get(i - 1))
                    .as("message %d (%s) after %s", i, order.get(i), order.get(i - 1)).isFalse();
        }
        assertThat(order.getFirst()).isEqualTo(Severity.CRITICAL);

        // within the limits: no window of any limited severity holds more messages than its count
        RateLimits.DEFAULTS.forEach((severity, limit) -> {
            List<Instant> times = delivered.stream().filter(d -> queued.get(d.notificationId()) == severity)
                    .map(NotificationDelivered::at).toList();
            for (int i = limit.count(); i < times.size(); i++) {
                assertThat(Duration.between(times.get(i - limit.count()), times.get(i)))
                        .as("%s message %d", severity, i).isGreaterThanOrEqualTo(limit.window());
            }
        });
    }

    /** 10% CRITICAL, 30% HIGH, 40% MEDIUM, 20% LOW. */
    private static Severity severity(int percent) {
        return percent < 10 ? Severity.CRITICAL : percent < 40 ? Severity.HIGH : percent < 80 ? Severity.MEDIUM
                : Severity.LOW;
    }
}
