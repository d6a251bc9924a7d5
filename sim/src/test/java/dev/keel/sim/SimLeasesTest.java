package dev.keel.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.engine.AccountLeases;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The scenario's shared lease: waits are scheduling points on simulated time; a dead holder frees it. */
class SimLeasesTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T15:00:00Z"));

    @Test
    void aWaiterProceedsOnceTheHolderReleases() {
        Scheduler scheduler = new Scheduler(new SplittableRandom(5), clock);
        SimLeases leases = new SimLeases(clock, scheduler, new dev.keel.core.journal.MemoryJournal());
        SimProcess one = new SimProcess(1);
        SimProcess two = new SimProcess(2);
        List<String> events = new ArrayList<>();
        scheduler.run(List.of(
                new Scheduler.Actor("holder", one, () -> {
                    try (AccountLeases.AccountLease held = leases.of(one).acquire("acct-0", Duration.ofMinutes(1))) {
                        events.add("holder in");
                        for (int i = 0; i < 5; i++) {
                            scheduler.point();
                        }
                        events.add("holder out");
                    }
                }),
                new Scheduler.Actor("waiter", two, () -> {
                    scheduler.point();
                    try (AccountLeases.AccountLease held = leases.of(two).acquire("acct-0", Duration.ofMinutes(1))) {
                        events.add("waiter in");
                    }
                })));

        assertThat(events).containsSubsequence("holder in", "holder out", "waiter in");
    }

    @Test
    void aWaiterGivesUpWithAccountLockedOnceTheSimulatedTimeoutHasPassed() {
        Scheduler scheduler = new Scheduler(new SplittableRandom(5), clock);
        SimLeases leases = new SimLeases(clock, scheduler, new dev.keel.core.journal.MemoryJournal());
        SimProcess one = new SimProcess(1);
        SimProcess two = new SimProcess(2);
        List<Object> got = new ArrayList<>();
        Instant start = clock.instant();
        try (AccountLeases.AccountLease held = leases.of(one).acquire("acct-0", Duration.ZERO)) {
            scheduler.run(List.of(new Scheduler.Actor("waiter", two, () -> {
                try (AccountLeases.AccountLease mine = leases.of(two).acquire("acct-0", Duration.ofSeconds(5))) {
                    got.add("acquired");
                } catch (KeelException e) {
                    got.add(e.code());
                }
            })));
        }

        assertThat(got).containsExactly(ErrorCode.ACCOUNT_LOCKED);
        assertThat(Duration.between(start, clock.instant())).isEqualTo(Duration.ofSeconds(5));
        assertThat(leases.waits()).isEqualTo(1);
        assertThat(leases.timeouts()).isEqualTo(1);
    }

    @Test
    void aLeaseHeldByADeadProcessIsFreeAndItsLateCloseFreesNothing() {
        SimLeases leases = new SimLeases(clock, new Scheduler(new SplittableRandom(1), clock), new dev.keel.core.journal.MemoryJournal());
        SimProcess dead = new SimProcess(1);
        SimProcess alive = new SimProcess(2);
        AccountLeases.AccountLease old = leases.of(dead).acquire("acct-0", Duration.ZERO);
        dead.die("crashed in a test");

        AccountLeases.AccountLease taken = leases.of(alive).acquire("acct-0", Duration.ZERO);
        old.close();

        assertThat(taken.accountId()).isEqualTo("acct-0");
        SimProcess third = new SimProcess(3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> leases.of(third).acquire("acct-0", Duration.ZERO))
                .isInstanceOf(KeelException.class).extracting(e -> ((KeelException) e).code())
                .isEqualTo(ErrorCode.ACCOUNT_LOCKED);
    }
}
