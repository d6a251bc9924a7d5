package dev.keel.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.execution.BreakerPolicy;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.LastRebalanceMoved;
import dev.keel.core.journal.MemoryJournal;
import dev.keel.core.journal.NotificationQueued;
import dev.keel.core.journal.TradingStateChanged;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.IllegalStateTransitionException;
import dev.keel.core.model.Side;
import dev.keel.core.model.TradingState;
import dev.keel.core.model.TradingState.Actor;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.notify.Outbox;
import dev.keel.core.time.ManualClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AccountStatesTest {
    private static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");

    private final ManualClock clock = new ManualClock(T0);
    private final MemoryJournal journal = new MemoryJournal();
    private final AccountStates states = new AccountStates(journal,
            Outbox.builder(journal, clock, new SplittableRandom(1)).build(), clock);
    private final CircuitBreaker breaker = BreakerPolicy.defaults().create("paper:main", clock);
    private final PlacementBreaker placement = PlacementBreaker.of(breaker);

    private List<String> moves() {
        return journal.stream("account:main").stream().map(r -> r.event())
                .filter(TradingStateChanged.class::isInstance).map(TradingStateChanged.class::cast)
                .map(c -> c.from() + "->" + c.to() + " " + c.actor() + " " + c.cause() + " " + c.txId()).toList();
    }

    private void after(String txId, TransactionStatus status, ErrorCode code) {
        journal.appendAll(states.afterOutcome("main", txId, status, code, "why", placement));
    }

    /** Finding 3: a move decided on a stale read and written after an operator's halt does not lift it. */
    @Test
    void aStaleEngineMoveWrittenAfterAnOperatorsHaltIsVoidInTheFold() {
        journal.append(new TradingStateChanged("main", TradingState.ACTIVE, TradingState.REDUCING, "breaker",
                ErrorCode.BROKER_UNAVAILABLE, Actor.ENGINE, null, null, T0));
        journal.append(new TradingStateChanged("main", TradingState.REDUCING, TradingState.HALTED, "operator", null,
                Actor.OPERATOR, null, null, T0));
        journal.append(new TradingStateChanged("main", TradingState.REDUCING, TradingState.ACTIVE, "decided before "
                + "the halt", null, Actor.ENGINE, "tx-1", null, T0));

        AccountStatus status = states.status("main");

        assertThat(status.state()).isEqualTo(TradingState.HALTED);
        assertThat(status.lastChange().actor()).isEqualTo(Actor.OPERATOR);
        assertThat(status.lastSequence()).isEqualTo(3);
    }

    /** A move is decided on the account's stream as it ends at the append: a halt written in between is seen. */
    @Test
    void aMoveIsDecidedAgainWhenAnOperatorHaltedBetweenTheReadAndTheAppend() {
        journal.append(new TradingStateChanged("main", TradingState.ACTIVE, TradingState.REDUCING, "breaker",
                ErrorCode.BROKER_UNAVAILABLE, Actor.ENGINE, null, null, T0));
        List<TradingState> decidedOn = new java.util.ArrayList<>();

        List<JournalEvent> written = states.writeMove("main", now -> {
            decidedOn.add(now.state());
            if (decidedOn.size() == 1) { // the operator, from another terminal, after this read
                journal.append(new TradingStateChanged("main", TradingState.REDUCING, TradingState.HALTED,
                        "operator", null, Actor.OPERATOR, null, null, T0));
            }
            return states.move(now, TradingState.ACTIVE, Actor.ENGINE, "recovered", null, "tx-1", null);
        });

        assertThat(decidedOn).containsExactly(TradingState.REDUCING, TradingState.HALTED);
        assertThat(written).isEmpty();
        assertThat(moves()).containsExactly("ACTIVE->REDUCING ENGINE BROKER_UNAVAILABLE null",
                "REDUCING->HALTED OPERATOR null null");
    }

    @Test
    void transitionTableLetsTheEngineEscalateButOnlyAnOperatorLiftAHalt() {
        assertThat(TradingState.ACTIVE.canMoveTo(TradingState.REDUCING, Actor.ENGINE)).isTrue();
        assertThat(TradingState.ACTIVE.canMoveTo(TradingState.HALTED, Actor.ENGINE)).isTrue();
        assertThat(TradingState.REDUCING.canMoveTo(TradingState.HALTED, Actor.ENGINE)).isTrue();
        assertThat(TradingState.REDUCING.canMoveTo(TradingState.ACTIVE, Actor.ENGINE)).isTrue();
        assertThat(TradingState.HALTED.canMoveTo(TradingState.ACTIVE, Actor.ENGINE)).isFalse();
        assertThat(TradingState.HALTED.canMoveTo(TradingState.REDUCING, Actor.ENGINE)).isFalse();
        assertThat(TradingState.HALTED.canMoveTo(TradingState.ACTIVE, Actor.OPERATOR)).isTrue();
        assertThat(TradingState.ACTIVE.canMoveTo(TradingState.REDUCING, Actor.OPERATOR)).isFalse();
        assertThatThrownBy(() -> TradingState.HALTED.moveTo(TradingState.ACTIVE, Actor.ENGINE))
                .isInstanceOf(IllegalStateTransitionException.class)
                .hasMessage("illegal trading (ENGINE) state transition HALTED -> ACTIVE");
    }

    @Test
    void eachStateAllowsOnlyItsSides() {
        assertThat(TradingState.ACTIVE.allowsNew(Side.BUY)).isTrue();
        assertThat(TradingState.ACTIVE.allowsNew(Side.SELL)).isTrue();
        assertThat(TradingState.REDUCING.allowsNew(Side.BUY)).isFalse();
        assertThat(TradingState.REDUCING.allowsNew(Side.SELL)).isTrue();
        assertThat(TradingState.HALTED.allowsNew(Side.BUY)).isFalse();
        assertThat(TradingState.HALTED.allowsNew(Side.SELL)).isFalse();
    }

    @Test
    void anAccountWithoutEventsIsActiveAndTheFoldFollowsItsStream() {
        assertThat(states.status("main").state()).isEqualTo(TradingState.ACTIVE);
        assertThat(states.status("main").lastChange()).isNull();

        journal.append(new LastRebalanceMoved("main", "tx-1", LocalDate.of(2026, 3, 2), T0));
        after("tx-2", TransactionStatus.NEEDS_REVIEW, ErrorCode.RECONCILIATION_MISMATCH);
        AccountSnapshot snapshot = new AccountSnapshot("main", new BigDecimal("10.00"), new BigDecimal("10.00"),
                List.of(), T0);
        journal.appendAll(states.move(states.status("main"), TradingState.ACTIVE, Actor.OPERATOR, "checked",
                null, null, snapshot));

        AccountStatus status = states.status("main");
        assertThat(status.state()).isEqualTo(TradingState.ACTIVE);
        assertThat(status.lastRebalance()).isEqualTo(LocalDate.of(2026, 3, 2));
        assertThat(status.lastResume().baseline()).isEqualTo(snapshot);
        assertThat(status.resumeSequence()).isEqualTo(journal.lastSequence() - 1);
        assertThat(moves()).containsExactly(
                "ACTIVE->HALTED ENGINE RECONCILIATION_MISMATCH tx-2",
                "HALTED->ACTIVE OPERATOR null null");
    }

    @Test
    void needsReviewHaltsAndIsNotifiedInTheSameEventsAndAHaltedAccountStaysHalted() {
        List<JournalEvent> events = states.afterOutcome("main", "tx-1", TransactionStatus.NEEDS_REVIEW,
                ErrorCode.ORDER_OUTCOME_UNKNOWN, "an order's outcome is unresolved", placement);

        assertThat(events).hasSize(2);
        assertThat(events.get(1)).isInstanceOfSatisfying(NotificationQueued.class, n -> {
            assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(n.title()).isEqualTo("Account main HALTED (was ACTIVE)");
            assertThat(n.body()).contains("unresolved", "keel account resume --account main");
        });
        journal.appendAll(events);
        breaker.transitionToOpenState();
        after("tx-2", TransactionStatus.ABORTED, ErrorCode.BROKER_UNAVAILABLE);
        after("tx-3", TransactionStatus.NEEDS_REVIEW, ErrorCode.RECONCILIATION_MISMATCH);

        assertThat(moves()).containsExactly("ACTIVE->HALTED ENGINE ORDER_OUTCOME_UNKNOWN tx-1");
    }

    @Test
    void anOpenBreakerReducesAndItsClosingAfterAnAnsweredOperationLiftsIt() {
        breaker.transitionToOpenState();
        after("tx-1", TransactionStatus.ABORTED, ErrorCode.BROKER_UNAVAILABLE);
        clock.advance(Duration.ofSeconds(31));
        after("tx-2", TransactionStatus.ABORTED, ErrorCode.BROKER_TIMEOUT);
        assertThat(breaker.getState()).as("the wait passed: asked for a permit").isEqualTo(CircuitBreaker.State.HALF_OPEN);
        breaker.transitionToClosedState();
        after("tx-3", TransactionStatus.ABORTED, ErrorCode.BROKER_TIMEOUT);
        after("tx-4", TransactionStatus.PARTIAL, ErrorCode.ACCOUNT_REDUCING);

        assertThat(moves()).as("a transient failure lifts nothing; an answered operation does").containsExactly(
                "ACTIVE->REDUCING ENGINE BROKER_UNAVAILABLE tx-1",
                "REDUCING->ACTIVE ENGINE null tx-4");
    }

    @Test
    void anOperatorNeverSetsReducingAndAMoveToTheSameStateWritesNothing() {
        assertThat(states.move(states.status("main"), TradingState.ACTIVE, Actor.OPERATOR, "no-op", null, null, null))
                .isEmpty();
        assertThat(states.move(states.status("main"), TradingState.REDUCING, Actor.OPERATOR, "not theirs", null,
                null, null)).as("an operator halts or resumes; REDUCING is the engine's").isEmpty();
    }
}
