package dev.keel.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.model.OrderState;
import dev.keel.core.model.TradingState;
import dev.keel.core.model.TransactionStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded histories for the journal's tallies: transactions over several minutes whose orders fill, fail, are
 * resubmitted, stay working or end unknown, with recoveries, trading state changes and notifications; and the check
 * that a journal's tallies of a window are what counting its records gives.
 */
public final class TallyHistories {
    private TallyHistories() {
    }

    /** The events of {@code transactions} transactions from {@code base}, in the order of their times. */
    public static List<JournalEvent> history(long seed, String prefix, int transactions, Instant base) {
        Random random = new Random(seed);
        List<JournalEvent> events = new ArrayList<>();
        for (int i = 0; i < transactions; i++) {
            String tx = prefix + "-tx-" + i;
            String account = prefix + "-acct-" + random.nextInt(4);
            Instant t = base.plusSeconds(i * 7L + random.nextInt(6));
            events.add(JournalSamples.started(tx, account, t));
            int working = 0;
            int legs = 1 + random.nextInt(3);
            for (int k = 0; k < legs; k++) {
                String cid = tx + "-leg" + k;
                Instant at = t.plusMillis(10L * k + 1);
                events.add(JournalSamples.intent(tx, account, "leg" + k, at));
                switch (random.nextInt(6)) {
                    case 0 -> events.add(updated(tx, account, cid, OrderState.FILLED, at.plusMillis(2)));
                    case 1 -> {
                        events.add(failed(tx, account, cid, 1, ErrorCode.BROKER_TIMEOUT, Delivery.AMBIGUOUS, at));
                        if (random.nextBoolean()) {
                            events.add(new OrderLookedUp(tx, account, cid, OrderLookedUp.Outcome.FOUND, false, null,
                                    at.plusMillis(3)));
                            events.add(updated(tx, account, cid, OrderState.FILLED, at.plusMillis(4)));
                        } // else left unknown
                    }
                    case 2 -> {
                        events.add(failed(tx, account, cid, 1, ErrorCode.RATE_LIMITED, Delivery.NOT_PROCESSED, at));
                        events.add(updated(tx, account, cid, OrderState.FILLED, at.plusMillis(4))); // a resubmit's
                    }
                    case 3 -> {
                        events.add(failed(tx, account, cid, 2, ErrorCode.RATE_LIMITED, Delivery.NOT_PROCESSED, at));
                        events.add(new OrderFailed(tx, account, cid, OrderState.REJECTED, ErrorCode.SYMBOL_NOT_FOUND,
                                "unknown symbol", 1, at.plusMillis(4)));
                    }
                    case 4 -> {
                        events.add(updated(tx, account, cid, OrderState.ACCEPTED, at.plusMillis(2)));
                        working++;
                    }
                    default -> events.add(new OrderLookedUp(tx, account, cid, OrderLookedUp.Outcome.ERROR, false,
                            ErrorCode.BROKER_UNAVAILABLE, at.plusMillis(3)));
                }
            }
            if (random.nextInt(8) == 0) {
                continue; // still in progress
            }
            if (random.nextInt(5) == 0) {
                events.add(new TransactionResumed(tx, account, "engine restarted", t.plusMillis(50)));
            }
            Instant end = t.plusSeconds(random.nextInt(90)).plusMillis(100);
            events.add(new ReconciliationRecorded(tx, account, List.of(new ReconciliationRecorded.Line("TLT",
                    new BigDecimal("0.40"), new BigDecimal("0.40").add(drift(random)), drift(random), BigDecimal.ONE,
                    new BigDecimal("90.00"))), true, end));
            TransactionStatus status = switch (random.nextInt(6)) {
                case 0 -> TransactionStatus.PARTIAL;
                case 1 -> TransactionStatus.FAILED;
                case 2 -> TransactionStatus.NEEDS_REVIEW;
                default -> TransactionStatus.COMPLETED;
            };
            events.add(JournalSamples.ended(tx, account, status, end));
            events.add(new OrdersWorking(tx, account, working, 0, end));
            if (random.nextInt(6) == 0) {
                events.add(new TradingStateChanged(account, TradingState.ACTIVE, TradingState.HALTED, "checked",
                        ErrorCode.RECONCILIATION_MISMATCH, TradingState.Actor.ENGINE, tx, null, end.plusMillis(1)));
            }
            events.add(new NotificationSettled("n-" + tx, account, random.nextInt(4) > 0, end.plusMillis(2)));
        }
        events.sort(Comparator.comparing(JournalEvent::at));
        return events;
    }

    /** Appends {@code events} in batches of 1 to 12 that mix transactions, as group commit does. */
    public static void append(Journal journal, List<JournalEvent> events, long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < events.size(); ) {
            int n = Math.min(events.size() - i, 1 + random.nextInt(12));
            journal.appendAll(events.subList(i, i + n));
            i += n;
        }
    }

    /**
     * Holds {@code journal.tallies(from)} against counting every record of the journal whose time is at or after
     * {@code from}, for each minute from {@code first}'s to {@code last}'s.
     */
    public static void assertTalliesCountTheRecords(Journal journal, Instant first, Instant last) {
        List<JournalRecord> records = new ArrayList<>();
        journal.replay(0, records::add);
        for (long minute = Tallies.minute(first); minute <= Tallies.minute(last); minute++) {
            Instant from = Instant.ofEpochSecond(minute * 60);
            Tallies.Counter counted = new Tallies.Counter();
            records.forEach(r -> counted.count(r.event(), from,
                    txId -> journal.transaction(txId).map(TransactionSummary::startedAt).orElse(null)));
            Tallies.Window expected = counted.window();
            Tallies.Window actual = journal.tallies(from);
            assertThat(actual.attention()).as("attention from %s", from)
                    .containsExactlyInAnyOrderElementsOf(expected.attention());
            assertThat(actual.meters().keySet()).as("meters from %s", from)
                    .containsExactlyInAnyOrderElementsOf(expected.meters().keySet());
            for (Map.Entry<String, Tallies.Tally> e : expected.meters().entrySet()) {
                Tallies.Tally a = actual.meters().get(e.getKey());
                assertThat(a.count()).as("%s from %s", e.getKey(), from).isEqualTo(e.getValue().count());
                assertThat(a.total()).as("%s total from %s", e.getKey(), from)
                        .isCloseTo(e.getValue().total(), within(1e-6 * Math.max(1, Math.abs(e.getValue().total()))));
                assertThat(a.max()).as("%s max from %s", e.getKey(), from).isEqualTo(e.getValue().max());
            }
        }
    }

    private static BigDecimal drift(Random random) {
        return BigDecimal.valueOf(random.nextInt(2001) - 1000, 6);
    }

    private static OrderUpdated updated(String tx, String account, String cid, OrderState state, Instant at) {
        return new OrderUpdated(tx, account, cid, "b-" + cid, state, state == OrderState.FILLED ? BigDecimal.ONE
                : BigDecimal.ZERO, state == OrderState.FILLED ? new BigDecimal("90.00") : null, at);
    }

    private static OrderAttemptFailed failed(String tx, String account, String cid, int attempt, ErrorCode code,
                                             Delivery delivery, Instant at) {
        return new OrderAttemptFailed(tx, account, cid, attempt, code, delivery, null, code.name(), null,
                at.plusMillis(1));
    }
}
