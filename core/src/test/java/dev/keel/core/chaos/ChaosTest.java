package dev.keel.core.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.broker.Broker;
import dev.keel.core.broker.BrokerException;
import dev.keel.core.broker.Delivery;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.journal.ChaosEnded;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import dev.keel.core.model.MarketClock;
import dev.keel.core.model.OrderSpec;
import dev.keel.core.model.Position;
import dev.keel.core.model.Quote;
import dev.keel.core.model.Symbol;
import dev.keel.core.notify.Notification;
import dev.keel.core.notify.NotificationChannel;
import dev.keel.core.notify.Outbox;
import dev.keel.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Rehearsals on injected time: which calls fail, for how long, and that the journal holds each session's end. */
class ChaosTest {
    private static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");

    private final ManualClock clock = new ManualClock(T0);
    private final MemoryJournal journal = new MemoryJournal();
    private final ChaosSessions sessions = new ChaosSessions(journal, clock);

    /** Counts the calls that reach it. */
    private static final class CountingBroker implements Broker {
        int submits;
        int reads;

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public AccountSnapshot account() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Position> positions() {
            reads++;
            return List.of();
        }

        @Override
        public List<BrokerOrder> openOrders() {
            reads++;
            return List.of();
        }

        @Override
        public BrokerOrder submit(String clientOrderId, OrderSpec spec) {
            submits++;
            return null;
        }

        @Override
        public Optional<BrokerOrder> orderByClientId(String clientOrderId) {
            return Optional.empty();
        }

        @Override
        public BrokerOrder cancel(String brokerOrderId) {
            return null;
        }

        @Override
        public Quote quote(Symbol symbol) {
            return null;
        }

        @Override
        public MarketClock clock() {
            return null;
        }
    }

    @Test
    void aCertainSubmitTimeoutFailsEverySubmitAsUnknownAndLeavesReadsAlone() {
        sessions.start("submit", "timeout", 1.0, Duration.ofMinutes(10), 1, "ana");
        CountingBroker real = new CountingBroker();
        ChaosBroker broker = new ChaosBroker(real, sessions.active(), "main", clock);

        assertThatThrownBy(() -> broker.submit("c-1", null)).isInstanceOfSatisfying(BrokerException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BROKER_TIMEOUT);
            assertThat(e.delivery()).isEqualTo(Delivery.AMBIGUOUS);
        });
        broker.positions();

        assertThat(real.submits).isZero();
        assertThat(real.reads).isEqualTo(1);
    }

    @Test
    void aProbabilityFailsThatShareOfCallsAndTheSameSeedFailsTheSameCalls() {
        sessions.start("reads", "unavailable", 0.3, Duration.ofMinutes(10), 42, "ana");
        List<Boolean> first = outcomes(new ChaosBroker(new CountingBroker(), sessions.active(), "main", clock));
        List<Boolean> again = outcomes(new ChaosBroker(new CountingBroker(), sessions.active(), "main", clock));

        assertThat(first.stream().filter(f -> f).count()).isBetween(250L, 350L);
        assertThat(again).isEqualTo(first);
    }

    private static List<Boolean> outcomes(ChaosBroker broker) {
        List<Boolean> failed = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            try {
                broker.openOrders();
                failed.add(false);
            } catch (BrokerException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.BROKER_UNAVAILABLE);
                failed.add(true);
            }
        }
        return failed;
    }

    @Test
    void aSessionStopsInjectingAtItsEndAndTheNextReaderJournalsTheEnd() {
        ChaosSession session = sessions.start("submit", "reject", 1.0, Duration.ofMinutes(5), 1, "ana");
        ChaosBroker broker = new ChaosBroker(new CountingBroker(), sessions.active(), "main", clock);
        assertThatThrownBy(() -> broker.submit("c-1", null)).isInstanceOf(BrokerException.class);

        clock.advance(Duration.ofMinutes(5));

        broker.submit("c-2", null);
        assertThat(sessions.active()).isEmpty();
        assertThat(sessions.get(session.id()).ended()).isEqualTo(new ChaosEnded(session.id(), "expired",
                T0.plus(Duration.ofMinutes(5))));
        assertThat(journal.openStreams(JournalEvent.CHAOS)).isEmpty();
        assertThat(sessions.active()).isEmpty();
        assertThat(journal.all()).extracting(JournalRecord::event).filteredOn(ChaosEnded.class::isInstance)
                .hasSize(1);
    }

    @Test
    void anOperatorStopsASessionEarly() {
        ChaosSession session = sessions.start("quotes", "timeout", 1.0, Duration.ofHours(1), 1, "ana");
        clock.advance(Duration.ofMinutes(3));

        ChaosSession stopped = sessions.stop(session.id());

        assertThat(stopped.ended().reason()).isEqualTo("stopped");
        assertThat(stopped.endedAt()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
        assertThat(sessions.active()).isEmpty();
        assertThat(sessions.stop(session.id())).isEqualTo(stopped);
    }

    @Test
    void aChannelDownInARehearsalKeepsItsNotificationsUntilTheSessionEnds() {
        sessions.start("notify:pager", "down", 1.0, Duration.ofMinutes(10), 1, "ana");
        List<String> got = new ArrayList<>();
        NotificationChannel pager = new NotificationChannel() {
            @Override
            public String name() {
                return "pager";
            }

            @Override
            public void send(Notification n) {
                got.add(n.title());
            }
        };
        Outbox outbox = Outbox.builder(journal, clock, new SplittableRandom(1))
                .channel(ChaosChannel.of(pager, sessions.active(), clock)).sendTimeout(Duration.ZERO).build();
        outbox.enqueue("main", null, Severity.CRITICAL, "Account main HALTED", "b");

        for (int i = 0; i < 20; i++) {
            outbox.dispatch();
            clock.advance(Duration.ofSeconds(30));
        }
        assertThat(got).isEmpty();
        assertThat(outbox.pending()).hasSize(1);

        clock.advance(Outbox.DEFAULT_RETRY_MAX);
        outbox.dispatch();

        assertThat(got).containsExactly("Account main HALTED");
        assertThat(outbox.pending()).isEmpty();
    }

    @Test
    void targetsAndKindsAreCheckedNamingWhatIsAllowed() {
        assertThat(ChaosTarget.problem("submit", "timeout", java.util.Set.of())).isNull();
        assertThat(ChaosTarget.problem("orders", "timeout", java.util.Set.of()))
                .isEqualTo("--target must be one of [submit, cancel, lookup, reads, quotes] or notify:CHANNEL, but "
                        + "was 'orders'");
        assertThat(ChaosTarget.problem("reads", "reject", java.util.Set.of()))
                .isEqualTo("--kind reject applies to --target submit only, but the target was 'reads'");
        assertThat(ChaosTarget.problem("notify:slack", "down", java.util.Set.of("email")))
                .isEqualTo("--target notify:slack names no configured channel; the channels are [email]");
    }
}
