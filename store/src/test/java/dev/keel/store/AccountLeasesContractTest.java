package dev.keel.store;

import static dev.keel.core.journal.JournalSamples.intent;
import static dev.keel.core.journal.JournalSamples.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.engine.AccountLeases.AccountLease;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.journal.Fence;
import dev.keel.core.journal.FencedJournal;
import dev.keel.core.journal.JournalEvent;
import dev.keel.core.journal.LeaseLostException;
import dev.keel.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The account lease across processes, over each journal database: two journals opened on one database stand for two
 * Keel processes. Time is simulated: a waiter polls on a manual clock, so a timeout is reached without waiting.
 */
abstract class AccountLeasesContractTest {
    static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    protected final ManualClock clock = new ManualClock(T0);
    private final List<JdbcJournal> opened = new ArrayList<>();

    /** Prepares empty storage for the test. */
    protected abstract void createStorage() throws Exception;

    /** Opens the database as one more process would. */
    protected abstract JdbcJournal open();

    /** A process on the database: its journal and its leases. */
    protected final DatabaseLeases process() {
        JdbcJournal journal = open();
        opened.add(journal);
        return journal.leases(clock, clock);
    }

    @BeforeEach
    final void prepare() throws Exception {
        createStorage();
    }

    @AfterEach
    final void closeAll() {
        opened.forEach(JdbcJournal::close);
    }

    @Test
    void aSecondProcessWaitsOutItsTimeoutWhileTheFirstHoldsTheAccountThenIsRefused() {
        DatabaseLeases first = process();
        DatabaseLeases second = process();
        try (AccountLease held = first.acquire("acct-1", TIMEOUT)) {
            Instant asked = clock.instant();
            assertThatThrownBy(() -> second.acquire("acct-1", TIMEOUT))
                    .isInstanceOfSatisfying(KeelException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCOUNT_LOCKED));
            assertThat(Duration.between(asked, clock.instant())).as("it waited the whole timeout").isEqualTo(TIMEOUT);
            assertThat(held.epoch()).isEqualTo(1);
        }
        try (AccountLease next = second.acquire("acct-1", TIMEOUT)) {
            assertThat(next.epoch()).as("a new epoch for the new holder").isEqualTo(2);
        }
    }

    @Test
    void leasesOnDifferentAccountsDoNotWaitForEachOther() {
        DatabaseLeases first = process();
        DatabaseLeases second = process();
        try (AccountLease a = first.acquire("acct-1", TIMEOUT); AccountLease b = second.acquire("acct-2", TIMEOUT)) {
            assertThat(List.of(a.epoch(), b.epoch())).containsExactly(1L, 1L);
            assertThat(clock.instant()).isEqualTo(T0);
        }
    }

    @Test
    void twoCallersInOneProcessQueueForTheAccountAndTheSecondIsRefusedAfterItsTimeout() {
        DatabaseLeases process = process();
        try (AccountLease held = process.acquire("acct-1", TIMEOUT)) {
            assertThat(held.epoch()).isEqualTo(1);
            List<Throwable> refused = new ArrayList<>();
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    process.acquire("acct-1", Duration.ZERO).close();
                } catch (RuntimeException e) {
                    refused.add(e);
                }
            });
            join(other);
            assertThat(refused).singleElement().isInstanceOfSatisfying(KeelException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCOUNT_LOCKED));
        }
    }

    /**
     * Fencing. A holder loses its lock without knowing it (a pause, a dropped connection), another process takes the
     * account, and the first one wakes up and writes: refused, nothing written; the new holder writes.
     */
    @Test
    void aHolderThatLostTheAccountCannotWriteAndTheNewHolderCan() {
        DatabaseLeases paused = process();
        DatabaseLeases next = process();
        JdbcJournal journal = opened.getFirst();
        AccountLease lost = paused.acquire("acct-1", TIMEOUT);
        FencedJournal pausedWrites = new FencedJournal(journal, new Fence("acct-1", lost.epoch()));
        pausedWrites.append(started("tx-1", "acct-1", T0));
        lost.close(); // its lock is gone; the holder does not know it

        try (AccountLease taken = next.acquire("acct-1", TIMEOUT)) {
            assertThatThrownBy(() -> pausedWrites.append(intent("tx-1", "acct-1", "buy-SPY", T0)))
                    .isInstanceOfSatisfying(LeaseLostException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.LEASE_LOST);
                        assertThat(e.current()).isEqualTo(taken.epoch());
                    });
            new FencedJournal(opened.get(1), new Fence("acct-1", taken.epoch()))
                    .append(intent("tx-1", "acct-1", "sell-TLT", T0));
        }
        assertThat(journal.stream("tx-1")).hasSize(2);
    }

    /**
     * Two processes take one account's lease in turn and both write, each with the epoch it last took or an older
     * one, in an order a seeded generator picks: every append is written exactly when its fence is the lease's epoch
     * as the last take left it, whichever process took it and whatever either writer remembers from its own batches.
     */
    @Test
    void fencedAppendsOfTwoProcessesTakingTheLeaseInTurnAreWrittenExactlyWhenTheirEpochIsTheLatest() {
        for (long seed = 1; seed <= 12; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            String account = "acct-" + seed;
            List<JdbcJournal> processes = List.of(open(), open());
            opened.addAll(processes);
            long latest = 0;
            long[] took = new long[2];
            int written = 0;
            for (int step = 0; step < 40; step++) {
                int p = random.nextInt(2);
                JdbcJournal journal = processes.get(p);
                if (took[p] == 0 || random.nextInt(4) == 0) {
                    took[p] = journal.takeLease(account);
                    assertThat(took[p]).as("seed %d step %d: epochs only grow", seed, step).isEqualTo(latest + 1);
                    latest = took[p];
                    continue;
                }
                long epoch = random.nextInt(3) == 0 ? Math.max(1, took[p] - 1) : took[p];
                FencedJournal fenced = new FencedJournal(journal, new Fence(account, epoch));
                String tx = "tx-" + seed + "-" + step;
                if (epoch == latest) {
                    fenced.append(started(tx, account, T0));
                    written++;
                } else {
                    long current = latest;
                    assertThatThrownBy(() -> fenced.append(started(tx, account, T0)))
                            .as("seed %d step %d: epoch %d after the take of %d", seed, step, epoch, current)
                            .isInstanceOfSatisfying(LeaseLostException.class,
                                    e -> assertThat(e.current()).isEqualTo(current));
                }
            }
            assertThat(processes.get(0).openStreams(JournalEvent.TRANSACTION, account))
                    .as("seed %d", seed).hasSize(written);
        }
    }

    private static void join(Thread t) {
        try {
            t.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
