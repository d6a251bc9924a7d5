package dev.keel.core.journal;

import static dev.keel.core.journal.JournalSamples.T0;
import static dev.keel.core.journal.JournalSamples.ended;
import static dev.keel.core.journal.JournalSamples.intent;
import static dev.keel.core.journal.JournalSamples.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.time.ManualClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link Journal} must have; one subclass per implementation. */
public abstract class JournalContractTest {
    protected final ManualClock clock = new ManualClock(T0);
    protected Journal journal;

    @TempDir
    protected Path tempDir;

    /** Creates empty storage for one test (a file, a clean database); the journal is then opened on it. */
    protected void createStorage() throws Exception {
    }

    /** Opens the journal on this test's storage; called again after {@code close()} to reopen the same storage. */
    protected abstract Journal open(Clock clock);

    /** The records an archive run moved, read back from wherever the implementation put them. */
    protected abstract List<JournalRecord> readArchive(Journal journal, Journal.ArchiveResult result);

    @BeforeEach
    final void openJournal() throws Exception {
        createStorage();
        journal = open(clock);
    }

    @AfterEach
    final void closeJournal() {
        if (journal != null) {
            journal.close();
        }
    }

    /** Closes the journal and opens it again on the same storage, as a restarted engine does. */
    protected final Journal reopen() {
        journal.close();
        journal = null;
        journal = open(clock);
        return journal;
    }

    protected final List<JournalRecord> replayAll() {
        List<JournalRecord> records = new ArrayList<>();
        journal.replay(0, records::add);
        return records;
    }

    /**
     * The tallies behind the health report (issue 15): over seeded histories of transactions spread across minutes,
     * appended in batches that mix them as group commit does, the tallies of every window are what counting the
     * window's records gives, and so are the transactions marked for reading. An ending's duration needs its start
     * from an earlier batch as often as from its own.
     */
    @Test
    void talliesOfEveryWindowAreWhatCountingItsRecordsGives() {
        java.time.Instant base = T0.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        for (long seed = 1; seed <= 3; seed++) {
            // each seed's hour after the last's: records are appended in the order of their times
            List<JournalEvent> history = TallyHistories.history(seed, "s" + seed, 40, base.plusSeconds(3600 * seed));
            TallyHistories.append(journal, history, seed);
            TallyHistories.assertTalliesCountTheRecords(journal, history.getFirst().at(), history.getLast().at());
        }
        assertThat(journal.tallies(base.plusSeconds(5 * 3600)).meters()).as("a window after every record").isEmpty();
    }

    /** The time search behind the health report's window: every answer checked against a replay, over 200 records. */
    @Test
    void sequenceBeforeFindsTheLastRecordWrittenBeforeATime() {
        assertThat(journal.sequenceBefore(T0.plusSeconds(10))).isZero();
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        java.time.Instant t = T0;
        for (int i = 0; i < 200; i++) {
            t = t.plusSeconds(random.nextInt(3)); // several records may share a time
            journal.append(started("tx-" + i, "acct-1", t));
        }
        List<JournalRecord> all = replayAll();
        for (int s = -1; s <= 402; s++) {
            java.time.Instant at = T0.plusSeconds(s);
            long expected = all.stream().filter(r -> r.event().at().isBefore(at)).mapToLong(JournalRecord::sequence)
                    .max().orElse(0);
            assertThat(journal.sequenceBefore(at)).as("before " + at).isEqualTo(expected);
        }
    }

    @Test
    void transactionsAreFoundByTheCorrelationIdTheyStartedWith() {
        TransactionStarted s = started("tx-1", "acct-1", T0);
        journal.append(new TransactionStarted("tx-1", "acct-1", "rebalance", "evt-7", s.targetOrders(), s.before(),
                s.cashReserve(), T0));
        journal.append(started("tx-2", "acct-1", T0.plusSeconds(1)));
        journal.append(new TransactionStarted("tx-3", "acct-2", "rebalance", "evt-7", s.targetOrders(), s.before(),
                s.cashReserve(), T0.plusSeconds(2)));
        journal.append(ended("tx-1", "acct-1", TransactionStatus.COMPLETED, T0.plusSeconds(3)));

        assertThat(journal.correlated("evt-7")).extracting(TransactionSummary::txId, TransactionSummary::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("tx-1", TransactionStatus.COMPLETED),
                        org.assertj.core.groups.Tuple.tuple("tx-3", TransactionStatus.IN_PROGRESS));
        assertThat(journal.correlated("evt-8")).isEmpty();
    }

    @Test
    void conditionalAppendWritesWhenEveryStreamStillEndsWhereItWasRead() {
        JournalRecord first = journal.append(started("tx-1", "acct-1", T0));

        List<JournalRecord> written = journal.appendAll(List.of(intent("tx-1", "acct-1", "leg-1", T0),
                started("tx-2", "acct-1", T0)), List.of(new StreamPosition("tx-1", first.sequence()),
                new StreamPosition("tx-2", 0)));

        assertThat(written).extracting(JournalRecord::sequence).containsExactly(2L, 3L);
        assertThat(StreamPosition.of("tx-1", journal.stream("tx-1")).lastSequence()).isEqualTo(2);
    }

    @Test
    void conditionalAppendOverAMovedStreamIsRefusedAndWritesNothing() {
        JournalRecord first = journal.append(started("tx-1", "acct-1", T0));
        journal.append(intent("tx-1", "acct-1", "leg-1", T0)); // another writer, after the read

        assertThatThrownBy(() -> journal.appendAll(List.of(ended("tx-1", "acct-1", TransactionStatus.COMPLETED, T0),
                started("tx-9", "acct-1", T0)), List.of(new StreamPosition("tx-1", first.sequence()))))
                .isInstanceOfSatisfying(StreamMovedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STREAM_MOVED);
                    assertThat(e.actual()).isEqualTo(2);
                });
        assertThat(journal.lastSequence()).isEqualTo(2);
        assertThat(journal.stream("tx-9")).isEmpty();
        assertThat(journal.transaction("tx-1")).get().extracting(TransactionSummary::status)
                .isEqualTo(TransactionStatus.IN_PROGRESS);
    }

    @Test
    void conditionalAppendExpectingANewStreamIsRefusedOnceTheStreamExists() {
        journal.append(started("tx-1", "acct-1", T0));

        assertThatThrownBy(() -> journal.appendAll(List.of(started("tx-1", "acct-1", T0)),
                List.of(new StreamPosition("tx-1", 0)))).isInstanceOf(StreamMovedException.class);
        assertThat(journal.lastSequence()).isEqualTo(1);
    }

    @Test
    void takingALeaseMovesTheAccountsEpochOnAndLeavesOtherAccountsAlone() {
        assertThat(journal.takeLease("acct-1")).isEqualTo(1);
        assertThat(journal.takeLease("acct-1")).isEqualTo(2);
        assertThat(journal.takeLease("acct-2")).isEqualTo(1);
        assertThat(reopen().takeLease("acct-1")).as("the epoch outlives the process").isEqualTo(3);
    }

    /** The open streams of a kind, oldest first, each with its last sequence; closed ones left out. */
    @Test
    void openStreamEndsSayWhereEachOpenStreamEndsNow() {
        journal.appendAll(List.of(started("tx-1", "acct-1", T0), intent("tx-1", "acct-1", "a", T0)));
        JournalRecord second = journal.append(started("tx-2", "acct-2", T0));
        JournalRecord moved = journal.append(intent("tx-1", "acct-1", "b", T0));
        journal.appendAll(List.of(started("tx-3", "acct-3", T0), ended("tx-3", "acct-3", TransactionStatus.COMPLETED, T0)));

        assertThat(journal.openStreamEnds(JournalEvent.TRANSACTION)).containsExactly(
                new StreamPosition("tx-1", moved.sequence()), new StreamPosition("tx-2", second.sequence()));
        assertThat(journal.openStreamEnds(JournalEvent.NOTIFICATION)).isEmpty();
    }

    /**
     * Fencing: a holder that lost the account's lease (it paused; another process took the account over) cannot
     * write, however its append is made; the new holder can, and appends without a fence are not affected.
     */
    @Test
    void anAppendFencedWithAnEpochThatIsNoLongerTheLeasesIsRefusedAndWritesNothing() {
        Fence paused = new Fence("acct-1", journal.takeLease("acct-1"));
        journal.appendAll(List.of(started("tx-1", "acct-1", T0)), List.of(), paused);
        Fence next = new Fence("acct-1", journal.takeLease("acct-1")); // another process takes the account over

        assertThatThrownBy(() -> journal.appendAll(List.of(intent("tx-1", "acct-1", "leg-1", T0)), List.of(), paused))
                .isInstanceOfSatisfying(LeaseLostException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.LEASE_LOST);
                    assertThat(e.current()).isEqualTo(next.epoch());
                });
        assertThatThrownBy(() -> new FencedJournal(journal, paused).append(intent("tx-1", "acct-1", "leg-2", T0)))
                .isInstanceOf(LeaseLostException.class);
        assertThat(journal.stream("tx-1")).hasSize(1);

        new FencedJournal(journal, next).append(intent("tx-1", "acct-1", "leg-1", T0));
        journal.append(started("tx-2", "acct-2", T0));
        assertThat(journal.lastSequence()).isEqualTo(3);
    }

    @Test
    void anAppendFencedOnAnAccountWhoseLeaseWasNeverTakenIsRefused() {
        assertThatThrownBy(() -> journal.appendAll(List.of(started("tx-1", "acct-1", T0)), List.of(),
                new Fence("acct-1", 1))).isInstanceOfSatisfying(LeaseLostException.class,
                        e -> assertThat(e.current()).isZero());
        assertThat(journal.lastSequence()).isZero();
    }

    /** A takeover racing with the old holder's appends: each append lands before the takeover or is refused. */
    @Test
    void appendsRacingATakeoverLandOnlyWhileTheirEpochIsCurrent() throws Exception {
        Fence old = new Fence("acct-1", journal.takeLease("acct-1"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Future<List<Long>> writer = pool.submit(() -> {
                go.await();
                List<Long> written = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    try {
                        written.add(journal.appendAll(List.of(intent("tx-1", "acct-1", "leg-" + i, T0)), List.of(),
                                old).getFirst().sequence());
                    } catch (LeaseLostException e) {
                        break;
                    }
                }
                return written;
            });
            Future<Long> takeover = pool.submit(() -> {
                go.await();
                journal.takeLease("acct-1");
                return journal.lastSequence();
            });
            go.countDown();
            List<Long> written = writer.get();
            long headAtTakeover = takeover.get();
            assertThat(written).as("the old holder wrote nothing after the takeover")
                    .allMatch(seq -> seq <= headAtTakeover);
        } finally {
            pool.shutdown();
        }
    }

    /** Two writers decide on the same read and race: one ending is written, the other refused, never both. */
    @Test
    void racingConditionalAppendsOnOneStreamAdmitExactlyOne() throws Exception {
        int rounds = 20;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < rounds; round++) {
                String txId = "tx-" + round;
                JournalRecord read = journal.append(started(txId, "acct-1", T0));
                StreamPosition position = new StreamPosition(txId, read.sequence());
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> racers = new ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    racers.add(pool.submit(() -> {
                        go.await();
                        try {
                            journal.appendAll(List.of(ended(txId, "acct-1", TransactionStatus.COMPLETED, T0)),
                                    List.of(position));
                            return true;
                        } catch (StreamMovedException e) {
                            return false;
                        }
                    }));
                }
                go.countDown();
                int won = 0;
                for (Future<Boolean> racer : racers) {
                    won += racer.get() ? 1 : 0;
                }
                assertThat(won).as("round %d", round).isEqualTo(1);
                assertThat(journal.stream(txId)).hasSize(2);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void emptyJournalHasSequenceZeroAndNothingToReplay() {
        assertThat(journal.lastSequence()).isZero();
        assertThat(replayAll()).isEmpty();
        assertThat(journal.openStreams(JournalEvent.TRANSACTION)).isEmpty();
        assertThat(journal.recentTransactions(10, null)).isEmpty();
    }

    @Test
    void appendsGetConsecutiveSequencesFromOne() {
        JournalRecord first = journal.append(started("tx-1", "acct-1", T0));
        JournalRecord second = journal.append(intent("tx-1", "acct-1", "buy-TLT", T0.plusSeconds(1)));

        assertThat(first).isEqualTo(new JournalRecord(1, started("tx-1", "acct-1", T0)));
        assertThat(second.sequence()).isEqualTo(2);
        assertThat(journal.lastSequence()).isEqualTo(2);
        assertThat(replayAll()).containsExactly(first, second);
    }

    @Test
    void streamHoldsOnlyItsOwnRecordsInOrder() {
        JournalRecord a1 = journal.append(started("tx-a", "acct-1", T0));
        journal.append(started("tx-b", "acct-1", T0));
        JournalRecord a2 = journal.append(intent("tx-a", "acct-1", "buy-TLT", T0.plusSeconds(1)));

        assertThat(journal.stream("tx-a")).containsExactly(a1, a2);
        assertThat(journal.stream("tx-none")).isEmpty();
    }

    @Test
    void openStreamsListsUnclosedStreamsOfOneKindOldestFirst() {
        journal.append(started("tx-a", "acct-1", T0));
        journal.append(started("tx-b", "acct-1", T0));
        journal.append(started("tx-c", "acct-2", T0));
        List<JournalEvent> notes = JournalSamples.everyType("tx-n", "acct-1").subList(12, 14);
        journal.appendAll(notes);
        journal.append(ended("tx-b", "acct-1", TransactionStatus.COMPLETED, T0.plusSeconds(5)));

        assertThat(journal.openStreams(JournalEvent.TRANSACTION)).containsExactly("tx-a", "tx-c");
        assertThat(journal.openStreams(JournalEvent.NOTIFICATION)).containsExactly("notification:n-tx-n");
        assertThat(journal.openStreams(JournalEvent.ACCOUNT)).isEmpty();
    }

    /** What recovery sorts by account: each open stream with its account, as its summary says, oldest first. */
    @Test
    void openStreamAccountsNameEachOpenStreamsAccountOldestFirst() {
        journal.append(started("tx-a1", "acct-a", T0));
        journal.append(started("tx-b1", "acct-b", T0.plusSeconds(1)));
        journal.append(intent("tx-c1", "acct-c", "buy-TLT", T0.plusSeconds(2))); // its start record is missing
        journal.append(started("tx-a2", "acct-a", T0.plusSeconds(3)));
        journal.append(ended("tx-b1", "acct-b", TransactionStatus.COMPLETED, T0.plusSeconds(4)));
        journal.appendAll(JournalSamples.everyType("tx-n", "acct-a").subList(12, 14));

        Map<String, String> open = journal.openStreamAccounts(JournalEvent.TRANSACTION);

        assertThat(open).containsExactly(Map.entry("tx-a1", "acct-a"), Map.entry("tx-c1", "acct-c"),
                Map.entry("tx-a2", "acct-a"));
        Map<String, String> oneByOne = new LinkedHashMap<>();
        journal.openStreams(JournalEvent.TRANSACTION).forEach(id -> oneByOne.put(id,
                journal.transaction(id).map(TransactionSummary::accountId).orElse(null)));
        assertThat(open).as("the summaries' accounts, read one by one").containsExactlyEntriesOf(oneByOne);
        assertThat(journal.openStreamAccounts(JournalEvent.ACCOUNT)).isEmpty();
    }

    @Test
    void openStreamsOfOneAccountAreItsUnclosedOnesOldestFirst() {
        journal.append(started("tx-a1", "acct-a", T0));
        journal.append(started("tx-b1", "acct-b", T0.plusSeconds(1)));
        journal.append(started("tx-a2", "acct-a", T0.plusSeconds(2)));
        journal.append(started("tx-a3", "acct-a", T0.plusSeconds(3)));
        journal.append(ended("tx-a2", "acct-a", TransactionStatus.COMPLETED, T0.plusSeconds(4)));

        assertThat(journal.openStreams(JournalEvent.TRANSACTION, "acct-a")).containsExactly("tx-a1", "tx-a3");
        assertThat(journal.openStreams(JournalEvent.TRANSACTION, "acct-b")).containsExactly("tx-b1");
        assertThat(journal.openStreams(JournalEvent.TRANSACTION, "acct-none")).isEmpty();
        assertThat(journal.openStreams(JournalEvent.NOTIFICATION, "acct-a")).isEmpty();
    }

    @Test
    void transactionViewFoldsStartAndEnd() {
        Instant end = T0.plusSeconds(30);
        journal.append(started("tx-1", "acct-1", T0));
        long intent = journal.append(intent("tx-1", "acct-1", "buy-TLT", T0.plusSeconds(1))).sequence();
        assertThat(journal.transaction("tx-1")).contains(new TransactionSummary("tx-1", "acct-1", "rebalance",
                TransactionStatus.IN_PROGRESS, T0, null, null, intent));

        long last = journal.append(ended("tx-1", "acct-1", TransactionStatus.PARTIAL, end)).sequence();

        assertThat(journal.transaction("tx-1")).contains(new TransactionSummary("tx-1", "acct-1", "rebalance",
                TransactionStatus.PARTIAL, T0, end, "buy-TLT rejected", last));
        assertThat(journal.transaction("tx-unknown")).isEmpty();
        assertThat(journal.transaction("notification:n-1")).isEmpty();
    }

    /**
     * The index of working orders: a transaction's summary says what is working only while its last record is an
     * {@link OrdersWorking}, in the batch that ends it or later; any later record of it makes it unsaid again.
     */
    @Test
    void aTransactionsSummarySaysWhatIsWorkingWhileItsLastRecordDoes() {
        Instant end = T0.plusSeconds(30);
        journal.append(started("tx-1", "acct-1", T0));
        journal.append(intent("tx-1", "acct-1", "buy-TLT", T0.plusSeconds(1)));
        assertThat(journal.transaction("tx-1").orElseThrow().working()).as("in progress, unsaid").isNull();

        journal.appendAll(List.of(ended("tx-1", "acct-1", TransactionStatus.COMPLETED, end),
                new OrdersWorking("tx-1", "acct-1", 1, 1, end)));
        TransactionSummary working = journal.transaction("tx-1").orElseThrow();
        assertThat(working.working()).isEqualTo(2);
        assertThat(working.settled()).isFalse();

        journal.append(new OrderUpdated("tx-1", "acct-1", "buy-TLT", "b-1", dev.keel.core.model.OrderState.FILLED,
                BigDecimal.ONE, BigDecimal.TEN, end.plusSeconds(1)));
        assertThat(journal.transaction("tx-1").orElseThrow().working()).as("a record after it").isNull();

        journal.appendAll(List.of(new OrdersWorking("tx-1", "acct-1", 0, 0, end.plusSeconds(2)),
                started("tx-2", "acct-1", end.plusSeconds(2))));
        assertThat(journal.recentTransactions(10, "acct-1")).extracting(TransactionSummary::txId,
                TransactionSummary::working, TransactionSummary::settled)
                .containsExactly(tuple("tx-2", null, false), tuple("tx-1", 0, true));
    }

    @Test
    void streamsWrittenTogetherInOneAppendFoldAsIfWrittenOneByOne() {
        Instant end = T0.plusSeconds(30);
        List<JournalRecord> written = journal.appendAll(List.of(
                started("tx-1", "acct-1", T0),
                started("tx-2", "acct-2", T0.plusSeconds(1)),
                intent("tx-1", "acct-1", "buy-TLT", T0.plusSeconds(2)),
                intent("tx-2", "acct-2", "buy-IEF", T0.plusSeconds(3)),
                ended("tx-1", "acct-1", TransactionStatus.PARTIAL, end)));

        assertThat(journal.transaction("tx-1")).contains(new TransactionSummary("tx-1", "acct-1", "rebalance",
                TransactionStatus.PARTIAL, T0, end, "buy-TLT rejected", written.get(4).sequence()));
        assertThat(journal.transaction("tx-2")).contains(new TransactionSummary("tx-2", "acct-2", "rebalance",
                TransactionStatus.IN_PROGRESS, T0.plusSeconds(1), null, null, written.get(3).sequence()));
        assertThat(journal.openStreams(JournalEvent.TRANSACTION)).containsExactly("tx-2");

        long next = journal.append(intent("tx-2", "acct-2", "buy-GLD", T0.plusSeconds(4))).sequence();
        assertThat(journal.transaction("tx-2")).map(TransactionSummary::lastSequence).contains(next);
        assertThat(journal.stream("tx-2")).extracting(JournalRecord::sequence)
                .containsExactly(written.get(1).sequence(), written.get(3).sequence(), next);
    }

    @Test
    void recentTransactionsAreNewestFirstFilteredByAccountAndLimited() {
        for (int i = 1; i <= 5; i++) {
            journal.append(started("tx-" + i, i % 2 == 0 ? "acct-even" : "acct-odd", T0.plusSeconds(i)));
        }
        journal.append(ended("tx-2", "acct-even", TransactionStatus.COMPLETED, T0.plusSeconds(9)));

        assertThat(journal.recentTransactions(3, null)).extracting(TransactionSummary::txId)
                .containsExactly("tx-5", "tx-4", "tx-3");
        assertThat(journal.recentTransactions(10, "acct-even")).extracting(TransactionSummary::txId)
                .containsExactly("tx-4", "tx-2");
        assertThat(journal.recentTransactions(10, "acct-even").get(1).status()).isEqualTo(TransactionStatus.COMPLETED);
        assertThat(journal.recentTransactions(10, "acct-none")).isEmpty();
    }

    /** The recent transactions of some operations only: the others, however many, are left out before the limit. */
    @Test
    void recentTransactionsOfSomeOperationsLeaveTheOthersOutBeforeTheLimit() {
        String[] operations = {"rebalance", "cancel", "rebalance", "bracket", "rebalance", "cancel", "rebalance"};
        for (int i = 0; i < operations.length; i++) {
            TransactionStarted s = started("tx-" + i, i % 2 == 0 ? "acct-even" : "acct-odd", T0.plusSeconds(i));
            journal.append(new TransactionStarted(s.txId(), s.accountId(), operations[i], s.correlationId(),
                    s.targetOrders(), s.before(), s.cashReserve(), s.at()));
        }
        Set<String> orders = Set.of("cancel", "bracket");

        assertThat(journal.recentTransactions(10, null, orders)).extracting(TransactionSummary::txId,
                TransactionSummary::operation).containsExactly(tuple("tx-5", "cancel"), tuple("tx-3", "bracket"),
                tuple("tx-1", "cancel"));
        assertThat(journal.recentTransactions(2, null, orders)).extracting(TransactionSummary::txId)
                .containsExactly("tx-5", "tx-3");
        assertThat(journal.recentTransactions(10, "acct-odd", Set.of("cancel")))
                .extracting(TransactionSummary::txId).containsExactly("tx-5", "tx-1");
        assertThat(journal.recentTransactions(10, "acct-even", orders)).isEmpty();
        assertThat(journal.recentTransactions(10, null, Set.of())).isEmpty();
    }

    /**
     * The recent transactions in one status only: those in others, however many came after them, are left out before
     * the limit (a list that read a multiple of its page and filtered it showed fewer rows than existed).
     */
    @Test
    void recentTransactionsInOneStatusLeaveTheOthersOutBeforeTheLimit() {
        journal.append(started("tx-old-review", "acct-1", T0));
        journal.append(ended("tx-old-review", "acct-1", TransactionStatus.NEEDS_REVIEW, T0.plusSeconds(1)));
        journal.append(started("tx-odd-review", "acct-2", T0.plusSeconds(2)));
        journal.append(ended("tx-odd-review", "acct-2", TransactionStatus.NEEDS_REVIEW, T0.plusSeconds(3)));
        for (int i = 0; i < 60; i++) {
            String txId = "tx-done-" + i;
            journal.append(started(txId, "acct-1", T0.plusSeconds(10 + 2L * i)));
            journal.append(ended(txId, "acct-1", TransactionStatus.COMPLETED, T0.plusSeconds(11 + 2L * i)));
        }
        journal.append(started("tx-running", "acct-1", T0.plusSeconds(200)));

        assertThat(journal.recentTransactions(1, null, TransactionStatus.NEEDS_REVIEW))
                .extracting(TransactionSummary::txId).containsExactly("tx-odd-review");
        assertThat(journal.recentTransactions(10, null, TransactionStatus.NEEDS_REVIEW))
                .extracting(TransactionSummary::txId).containsExactly("tx-odd-review", "tx-old-review");
        assertThat(journal.recentTransactions(10, "acct-1", TransactionStatus.NEEDS_REVIEW))
                .extracting(TransactionSummary::txId, TransactionSummary::status)
                .containsExactly(tuple("tx-old-review", TransactionStatus.NEEDS_REVIEW));
        assertThat(journal.recentTransactions(10, null, TransactionStatus.IN_PROGRESS))
                .extracting(TransactionSummary::txId).containsExactly("tx-running");
        assertThat(journal.recentTransactions(3, "acct-1", TransactionStatus.COMPLETED))
                .extracting(TransactionSummary::txId).containsExactly("tx-done-59", "tx-done-58", "tx-done-57");
        assertThat(journal.recentTransactions(100, null, TransactionStatus.COMPLETED)).hasSize(60);
        assertThat(journal.recentTransactions(10, "acct-2", TransactionStatus.COMPLETED)).isEmpty();
        assertThat(journal.recentTransactions(10, null, TransactionStatus.PARTIAL)).isEmpty();
        assertThat(journal.recentTransactions(0, null, TransactionStatus.COMPLETED)).isEmpty();
    }

    @Test
    void concurrentAppendsFromEightThreadsAreAllDurableAndGapFree() throws Exception {
        int threads = 8;
        int perThread = 40;
        ConcurrentLinkedQueue<JournalRecord> written = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String txId = "tx-" + t;
                done.add(pool.submit(() -> {
                    go.await();
                    written.add(journal.append(started(txId, "acct-1", T0)));
                    for (int i = 1; i < perThread; i++) {
                        written.add(journal.append(intent(txId, "acct-1", "leg-" + i, T0.plusSeconds(i))));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        List<JournalRecord> expected = written.stream().sorted(Comparator.comparingLong(JournalRecord::sequence))
                .toList();

        assertThat(expected).extracting(JournalRecord::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, threads * perThread).boxed().toList());
        reopen();
        assertThat(replayAll()).isEqualTo(expected);
        for (int t = 0; t < threads; t++) {
            String txId = "tx-" + t;
            assertThat(journal.stream(txId)).hasSize(perThread)
                    .isEqualTo(expected.stream().filter(r -> r.event().streamId().equals(txId)).toList());
        }
    }

    @Test
    void appendAllWritesConsecutiveRecordsInOrder() {
        journal.append(started("tx-0", "acct-1", T0));
        List<JournalEvent> events = List.of(started("tx-1", "acct-1", T0), intent("tx-1", "acct-1", "a", T0),
                intent("tx-1", "acct-1", "b", T0));

        List<JournalRecord> records = journal.appendAll(events);

        assertThat(records).extracting(JournalRecord::sequence).containsExactly(2L, 3L, 4L);
        assertThat(records).extracting(JournalRecord::event).containsExactlyElementsOf(events);
        assertThat(journal.appendAll(List.of())).isEmpty();
        assertThat(journal.lastSequence()).isEqualTo(4);
    }

    @Test
    void appendAllWithAnInvalidEventWritesNothing() {
        journal.append(started("tx-0", "acct-1", T0));
        List<JournalEvent> events = Arrays.asList(started("tx-1", "acct-1", T0), null);

        assertThatThrownBy(() -> journal.appendAll(events)).isInstanceOf(NullPointerException.class);

        assertThat(journal.lastSequence()).isEqualTo(1);
        assertThat(journal.stream("tx-1")).isEmpty();
        assertThat(journal.transaction("tx-1")).isEmpty();
        assertThat(journal.append(intent("tx-0", "acct-1", "a", T0)).sequence()).isEqualTo(2);
    }

    /** A replay of some types: exactly the records of those types a full replay gives, in order, from any point. */
    @Test
    void replayOfSomeTypesGivesWhatAFullReplayGivesOfThem() {
        journal.appendAll(JournalSamples.everyType("tx-1", "acct-1"));
        journal.appendAll(JournalSamples.everyType("tx-2", "acct-2"));
        List<JournalRecord> all = replayAll();
        java.util.SplittableRandom random = new java.util.SplittableRandom(15);
        List<Class<?>> types = JournalSamples.concreteTypes(JournalEvent.class);
        for (int run = 0; run < 20; run++) {
            java.util.Set<Class<? extends JournalEvent>> some = new java.util.HashSet<>();
            for (Class<?> type : types) {
                if (random.nextInt(3) == 0) {
                    some.add(type.asSubclass(JournalEvent.class));
                }
            }
            long after = random.nextInt(all.size() + 1);
            List<JournalRecord> read = new ArrayList<>();
            journal.replay(after, some, read::add);
            assertThat(read).as("types %s after %d", some, after).isEqualTo(all.stream()
                    .filter(r -> r.sequence() > after && some.contains(r.event().getClass())).toList());
        }
    }

    @Test
    void replayAfterReopenEqualsWhatWasWritten() {
        List<JournalRecord> written = new ArrayList<>(journal.appendAll(JournalSamples.everyType("tx-1", "acct-1")));
        written.add(journal.append(started("tx-2", "acct-2", T0.plusSeconds(60))));
        List<TransactionSummary> summaries = journal.recentTransactions(10, null);
        List<String> open = journal.openStreams(JournalEvent.TRANSACTION);

        reopen();

        assertThat(replayAll()).isEqualTo(written);
        List<JournalRecord> tail = new ArrayList<>();
        journal.replay(10, tail::add);
        assertThat(tail).isEqualTo(written.subList(10, written.size()));
        assertThat(journal.recentTransactions(10, null)).isEqualTo(summaries);
        assertThat(journal.openStreams(JournalEvent.TRANSACTION)).isEqualTo(open).containsExactly("tx-2");
        assertThat(journal.lastSequence()).isEqualTo(written.size());
        assertThat(journal.append(intent("tx-2", "acct-2", "a", T0)).sequence()).isEqualTo(written.size() + 1);
    }

    @Test
    void archiveMovesClosedTransactionsEndedBeforeCutoff() {
        Instant cutoff = T0.plus(Duration.ofDays(90));
        List<JournalRecord> old = new ArrayList<>();
        old.add(journal.append(started("tx-old", "acct-1", T0)));
        JournalRecord keptOpen = journal.append(started("tx-open", "acct-1", T0));
        old.add(journal.append(intent("tx-old", "acct-1", "buy-TLT", T0.plusSeconds(1))));
        JournalRecord recentStart = journal.append(started("tx-recent", "acct-1", T0));
        old.add(journal.append(ended("tx-old", "acct-1", TransactionStatus.COMPLETED, cutoff.minusNanos(1))));
        JournalRecord recentEnd = journal.append(ended("tx-recent", "acct-1", TransactionStatus.FAILED, cutoff));
        List<JournalRecord> remaining = List.of(keptOpen, recentStart, recentEnd);
        assertThat(journal.stream("tx-old")).as("read before: a journal that keeps what it read forgets it").isEqualTo(old);

        Journal.ArchiveResult result = journal.archive(cutoff, tempDir.resolve("archive"));

        assertThat(result.transactions()).isEqualTo(1);
        assertThat(result.records()).isEqualTo(3);
        assertThat(readArchive(journal, result)).isEqualTo(old);
        assertThat(journal.stream("tx-old")).isEmpty();
        assertThat(journal.transaction("tx-old")).isEmpty();
        assertThat(journal.recentTransactions(10, null)).extracting(TransactionSummary::txId)
                .containsExactly("tx-recent", "tx-open");
        assertThat(replayAll()).isEqualTo(remaining);
        assertThat(journal.lastSequence()).isEqualTo(6);
        assertThat(journal.archive(cutoff, tempDir.resolve("archive"))).isEqualTo(new Journal.ArchiveResult(null, 0, 0));

        reopen();
        assertThat(replayAll()).isEqualTo(remaining);
        List<JournalRecord> afterGap = new ArrayList<>();
        journal.replay(1, afterGap::add);
        assertThat(afterGap).isEqualTo(remaining);
        assertThat(journal.append(intent("tx-open", "acct-1", "a", T0)).sequence()).isEqualTo(7);
    }

    @Test
    void archiveOfTheNewestRecordsKeepsTheSequenceGoing() {
        journal.append(started("tx-1", "acct-1", T0));
        journal.append(ended("tx-1", "acct-1", TransactionStatus.ABORTED, T0.plusSeconds(1)));

        assertThat(journal.archive(T0.plusSeconds(2), tempDir.resolve("archive")).records()).isEqualTo(2);
        reopen();

        assertThat(journal.lastSequence()).isEqualTo(2);
        assertThat(replayAll()).isEmpty();
        assertThat(journal.append(started("tx-2", "acct-1", T0)).sequence()).isEqualTo(3);
        assertThat(replayAll()).extracting(JournalRecord::sequence).containsExactly(3L);
    }

    @Test
    void appendAfterCloseFailsAsAJournalWriteFailure() {
        journal.close();

        assertThatThrownBy(() -> journal.append(started("tx-1", "acct-1", T0)))
                .isInstanceOfSatisfying(KeelException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.JOURNAL_WRITE_FAILED));
        journal = null;
    }
}
