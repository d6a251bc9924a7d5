package dev.keel.store;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import dev.keel.core.journal.JournalRecord;
import dev.keel.core.journal.Fence;
import dev.keel.core.journal.LeaseLostException;
import dev.keel.core.journal.StreamMovedException;
import dev.keel.core.journal.StreamPosition;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The journal's one writer thread. Appends queued by many threads are written in one database transaction, so one
 * commit (one fsync) makes a whole batch durable; each caller waits for the commit that holds its events. A batch
 * whose transaction fails is rolled back and its appends are written again one by one, each in its own transaction:
 * only the caller whose events the database refuses fails ({@code JOURNAL_WRITE_FAILED}); the others, of other
 * accounts too, are not made to fail for it. All or none of one caller's events are written.
 *
 * <p>Account lease takes ride in the same batches, in queue order with the appends: an append queued before a take
 * is checked against the epoch it moves from, one queued after it against the new one. A recovery of many accounts
 * takes as many leases at once, and one commit for each of them was its slowest part.
 *
 * <p>The callers of a committed batch of several are answered by a second thread, in commit order, while the writer
 * goes on to the next batch: waking a parked thread is a system call (and on a virtual machine an interrupt to
 * another processor), and with 64 callers waking them one after another was a third of the writer's time, on the
 * path every commit waits for (issue 15). A batch of one caller is answered on the writer thread, which saves a
 * hand-over when the journal is quiet.
 *
 * <p>On PostgreSQL the writer keeps what its batches read and wrote ({@link WriterKnowledge}), and a batch whose
 * appends that admits goes to the server in one trip instead of two; one the server refuses on it is written again at
 * once on what the writer reads, as any other batch.
 */
final class GroupCommitWriter implements AutoCloseable {
    /** The most events one transaction takes; more wait for the next commit. */
    static final int MAX_BATCH_EVENTS = 1_000;

    /** Work done on the writer's connection inside one transaction; the writer commits when it returns. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws Exception;
    }

    /** Work on the writer's connection with its kept prepared statements. */
    @FunctionalInterface
    interface StatementWork<T> {
        T run(Statements statements) throws Exception;
    }

    /**
     * A kept connection idle this long goes back to the pool and the next batch takes one the pool has checked:
     * a connection the server dropped meanwhile must not fail a batch.
     */
    private static final long KEEP_IDLE_NANOS = 1_000_000_000L;

    private sealed interface Task permits Batched, Exclusive, Stop {
    }

    /** A task written in a batch with others, in one transaction. */
    private sealed interface Batched extends Task permits Append, Lease {
        CompletableFuture<?> done();
    }

    /** A caller's events, the stream ends they expect and its fence (null for none); {@link WriterKnowledge} reads. */
    record Append(List<EventCodec.Encoded> events, List<StreamPosition> expected, Fence fence,
                  CompletableFuture<List<JournalRecord>> done) implements Batched {
    }

    /** Moves an account's lease to its next epoch (answered with it), where it stands in the queue. */
    private record Lease(String accountId, String takenAt, CompletableFuture<Long> done) implements Batched {
    }

    private record Exclusive<T>(StatementWork<T> work, CompletableFuture<T> done) implements Task {
    }

    private record Stop(CompletableFuture<Void> done) implements Task {
    }

    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    /** Answers the callers of committed batches, in commit order, off the writer thread. */
    private final ExecutorService answers = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("keel-journal-answers").daemon(true).factory());
    /** Batches handed to {@link #answers} and not yet answered: a batch of one waits its turn behind them. */
    private final AtomicInteger answering = new AtomicInteger();
    private final DataSource source;
    /**
     * Which database it writes to: PostgreSQL takes a batch, what its conditions read and its commit in two trips
     * ({@link PostgresAppend}).
     */
    private final Dialect dialect;
    private final String description;
    private final Thread thread;
    private final Object lifecycle = new Object();
    private boolean closed;
    /** The writer thread's connection and its prepared statements, kept between batches; null when none is held. */
    private Statements held;
    private long heldLastUsed;
    /** What the writer knows between batches, so that a PostgreSQL batch may go in one trip; null on SQLite. */
    private final WriterKnowledge knowledge;
    /** The lease epochs a SQLite writer knows between batches while no other connection writes; null on PostgreSQL. */
    private final KnownEpochs known;

    GroupCommitWriter(DataSource source, Dialect dialect, String description) {
        this.source = source;
        this.dialect = dialect;
        this.description = description;
        this.knowledge = dialect == Dialect.POSTGRESQL ? new WriterKnowledge() : null;
        this.known = dialect == Dialect.POSTGRESQL ? null : new KnownEpochs();
        this.thread = Thread.ofPlatform().name("keel-journal-writer").daemon(true).start(this::run);
    }

    /**
     * Blocks until the events are committed; all or none of them are. With {@code expected} positions, they are
     * written only if each stream still ends there when the batch is written (checked on the writer thread, under
     * the journal head's row lock, after the appends queued before this one): else {@link StreamMovedException}.
     */
    List<JournalRecord> append(List<EventCodec.Encoded> events, List<StreamPosition> expected, Fence fence) {
        CompletableFuture<List<JournalRecord>> done = new CompletableFuture<>();
        submit(new Append(List.copyOf(events), List.copyOf(expected), fence, done));
        return await(done, "append");
    }

    /**
     * Moves the account's lease to its next epoch and returns it, once committed: in order with the appends queued
     * before and after it, and in one commit with them.
     */
    long takeLease(String accountId, String takenAt) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        submit(new Lease(accountId, takenAt, done));
        return await(done, "lease");
    }

    /** Runs {@code work} alone in one transaction on the writer's connection, between batches of appends. */
    <T> T exclusive(SqlWork<T> work, String what) {
        CompletableFuture<T> done = new CompletableFuture<>();
        submit(new Exclusive<>(st -> work.run(st.connection()), done));
        return await(done, what);
    }

    private void submit(Task task) {
        // Under the lifecycle lock, so nothing is queued behind the Stop that would never be answered.
        synchronized (lifecycle) {
            if (closed) {
                throw new KeelException(ErrorCode.JOURNAL_WRITE_FAILED, "the journal at " + description
                        + " is closed");
            }
            queue.add(task);
        }
    }

    private <T> T await(CompletableFuture<T> done, String what) {
        try {
            // Not interruptible on purpose: once queued the write happens, and the caller must learn its outcome.
            return done.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StreamMovedException moved) {
                throw new StreamMovedException(moved.expected(), moved.actual());
            }
            if (cause instanceof LeaseLostException lost) {
                throw new LeaseLostException(lost.fence(), lost.current());
            }
            if (cause instanceof KeelException keel && keel.code() != ErrorCode.JOURNAL_WRITE_FAILED) {
                throw keel;
            }
            KeelException classified = cause == null || cause instanceof KeelException ? null
                    : JournalFailure.of(what, description, cause);
            if (classified != null && classified.code() != ErrorCode.JOURNAL_WRITE_FAILED) {
                throw new KeelException(classified.code(), classified.getMessage(), classified.context(), cause);
            }
            // A fresh exception per caller: the shared one carries the writer thread's stack.
            throw new KeelException(ErrorCode.JOURNAL_WRITE_FAILED, "journal " + what + " failed at " + description
                    + ": " + (cause == null ? e : cause).getMessage(), ErrorContext.NONE, cause);
        }
    }

    private void run() {
        Task pending = null;
        while (true) {
            Task task = pending != null ? pending : take();
            pending = null;
            switch (task) {
                case Stop stop -> {
                    release(null);
                    // Behind every answer still owed, so whoever closes the journal has heard all of them.
                    answers.execute(() -> stop.done().complete(null));
                    answers.shutdown();
                    return;
                }
                case Exclusive<?> exclusive -> runExclusive(exclusive);
                case Batched first -> {
                    List<Batched> batch = new ArrayList<>();
                    batch.add(first);
                    int events = size(first);
                    Task next;
                    while (events < MAX_BATCH_EVENTS && (next = queue.poll()) != null) {
                        if (next instanceof Batched more) {
                            batch.add(more);
                            events += size(more);
                        } else {
                            pending = next;
                            break;
                        }
                    }
                    writeBatch(batch);
                }
            }
        }
    }

    /** What a batched task counts toward {@link #MAX_BATCH_EVENTS}: its events, or 1 for a lease take. */
    private static int size(Batched task) {
        return task instanceof Append append ? append.events().size() : 1;
    }

    private Task take() {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                // Nobody interrupts this thread but a JVM shutting down; keep serving until Stop.
                Thread.interrupted();
            }
        }
    }

    private void writeBatch(List<Batched> batch) {
        writeBatch(batch, knowledge != null);
    }

    /**
     * Writes a batch in one transaction. With {@code mayAssume}, a PostgreSQL batch goes in one trip on what the
     * writer knows when that admits all of it ({@link WriterKnowledge}); a batch the server refuses on it is written
     * again at once in two trips, reading what it needs.
     */
    private void writeBatch(List<Batched> batch, boolean mayAssume) {
        List<Append> admitted = new ArrayList<>();
        Map<Append, KeelException> refused = new IdentityHashMap<>();
        Map<Lease, Long> taken = new IdentityHashMap<>();
        PostgresAppend.Locked[] used = new PostgresAppend.Locked[1];
        AppendSql.Written written;
        try {
            written = inTransaction(st -> {
                admitted.clear();
                refused.clear();
                taken.clear();
                PostgresAppend.Locked locked = mayAssume ? assume(batch) : null;
                if (locked != null) {
                    batch.forEach(t -> admitted.add((Append) t));
                } else {
                    locked = admit(st, dialect, known, batch, admitted, refused, taken);
                }
                used[0] = locked;
                List<EventCodec.Encoded> all = new ArrayList<>();
                admitted.forEach(a -> all.addAll(a.events()));
                return all.isEmpty() ? new AppendSql.Written(List.of(), List.of()) : AppendSql.write(st, all, locked);
            });
        } catch (Throwable e) {
            if (knowledge != null) {
                knowledge.forget();
            }
            if (known != null) {
                known.forget();
            }
            if (used[0] != null && used[0].assumed() && !(e instanceof CommitFailed)) {
                // Refused on what the writer knew, before its commit, nothing written: written again on what it reads.
                writeBatch(batch, false);
            } else if (batch.size() == 1 || e instanceof CommitFailed) {
                // A failed commit may have happened all the same: writing the events again could write them twice.
                answer(batch.size(), () -> batch.forEach(a -> a.done().completeExceptionally(e)));
            } else {
                // A statement failed and the batch was rolled back, nothing written: find whose events it failed
                // for, one caller at a time (each admitted again against what the callers before it wrote).
                batch.forEach(a -> writeBatch(List.of(a)));
            }
            return;
        }
        Map<String, Long> epochs = new HashMap<>();
        batch.forEach(t -> {
            if (t instanceof Lease lease) {
                epochs.put(lease.accountId(), taken.get(lease));
            }
        });
        if (knowledge != null) {
            if (written.records().isEmpty()) {
                knowledge.forget();
            } else {
                knowledge.committed(used[0], written.folds(), written.records().getLast().sequence(), epochs);
            }
        }
        if (known != null) {
            known.committed(epochs);
        }
        List<JournalRecord> records = written.records();
        Runnable answer = () -> {
            refused.forEach((append, moved) -> append.done().completeExceptionally(moved));
            taken.forEach((lease, epoch) -> lease.done().complete(epoch));
            int from = 0;
            for (Append append : admitted) {
                int to = from + append.events().size();
                append.done().complete(List.copyOf(records.subList(from, to)));
                from = to;
            }
        };
        answer(batch.size(), answer);
    }

    /** What a batch of appends alone may assume from {@link #knowledge}; null when it must read. */
    private PostgresAppend.Locked assume(List<Batched> batch) {
        List<Append> appends = new ArrayList<>(batch.size());
        for (Batched task : batch) {
            if (!(task instanceof Append append)) {
                return null;
            }
            appends.add(append);
        }
        return knowledge.assume(appends);
    }

    /**
     * Answers {@code callers} callers: on {@link #answers} when there are several, or when answers to earlier
     * batches are still owed (so every caller hears in commit order); else here, on the writer thread.
     */
    private void answer(int callers, Runnable answer) {
        if (callers == 1 && answering.get() == 0) {
            answer.run();
            return;
        }
        answering.incrementAndGet();
        answers.execute(() -> {
            try {
                answer.run();
            } finally {
                answering.decrementAndGet();
            }
        });
    }

    /**
     * Splits a batch into the appends whose conditions hold and those refused, in queue order, and takes its leases
     * in that order: an append is refused when a stream it expects has moved ({@link StreamMovedException}; an append
     * admitted earlier in the batch moves the streams it writes for the appends after it) or when its fence is no
     * longer the account's lease epoch ({@link LeaseLostException}; a lease taken earlier in the batch moves it for
     * the appends after it). The reads are made under the journal head's row lock. On SQLite, batches of unconditional
     * appends alone skip them, and the epochs {@code known} answer without a read while no other connection has
     * written; on PostgreSQL a batch without lease takes makes all of them in one trip with the lock,
     * and is answered with what it read there for its write (a batch with takes reads one statement at a time, then
     * the head and its streams' rows with the lock again); null when there is nothing to write or on SQLite.
     */
    private static PostgresAppend.Locked admit(Statements c, Dialect dialect, KnownEpochs known, List<Batched> batch,
                                               List<Append> admitted, Map<Append, KeelException> refused,
                                               Map<Lease, Long> taken) throws SQLException {
        boolean postgres = dialect == Dialect.POSTGRESQL;
        if (postgres && batch.stream().noneMatch(Lease.class::isInstance)) {
            Set<String> streamIds = new LinkedHashSet<>();
            Set<String> accountIds = new LinkedHashSet<>();
            for (Batched task : batch) {
                Append append = (Append) task;
                append.events().forEach(e -> streamIds.add(e.event().streamId()));
                append.expected().forEach(p -> streamIds.add(p.streamId()));
                if (append.fence() != null) {
                    accountIds.add(append.fence().accountId());
                }
            }
            PostgresAppend.Locked locked = PostgresAppend.lock(c, streamIds, accountIds);
            admit(locked, c, batch, admitted, refused, taken);
            return locked;
        }
        if (batch.stream().allMatch(t -> t instanceof Append a && a.expected().isEmpty() && a.fence() == null)) {
            batch.forEach(t -> admitted.add((Append) t));
        } else {
            AppendSql.lockHead(c);
            AppendSql.Reads reads = AppendSql.reads(c);
            admit(known == null ? reads : known.over(c, reads), c, batch, admitted, refused, taken);
        }
        if (!postgres || admitted.isEmpty()) {
            return null;
        }
        Set<String> written = new LinkedHashSet<>();
        admitted.forEach(a -> a.events().forEach(e -> written.add(e.event().streamId())));
        return PostgresAppend.lock(c, written, Set.of());
    }

    /** {@link #admit(Statements, Dialect, List, List, Map, Map)} against {@code reads}, made under the head's lock. */
    private static void admit(AppendSql.Reads reads, Statements c, List<Batched> batch, List<Append> admitted,
                              Map<Append, KeelException> refused, Map<Lease, Long> taken) throws SQLException {
        Set<String> movedInBatch = new HashSet<>();
        Map<String, Long> epochs = new HashMap<>(); // one read per account and batch; only the batch's takes move them
        for (Batched task : batch) {
            if (task instanceof Lease lease) {
                long epoch = AppendSql.takeLease(c, lease.accountId(), lease.takenAt());
                epochs.put(lease.accountId(), epoch);
                taken.put(lease, epoch);
                continue;
            }
            Append append = (Append) task;
            KeelException refusal = null;
            if (append.fence() != null) {
                Long current = epochs.get(append.fence().accountId());
                if (current == null) {
                    current = reads.epoch(append.fence().accountId());
                    epochs.put(append.fence().accountId(), current);
                }
                if (current != append.fence().epoch()) {
                    refusal = new LeaseLostException(append.fence(), current);
                }
            }
            for (StreamPosition position : append.expected()) {
                if (refusal != null) {
                    break;
                }
                long actual = reads.lastSequence(position.streamId());
                if (movedInBatch.contains(position.streamId()) || actual != position.lastSequence()) {
                    refusal = new StreamMovedException(position, actual);
                }
            }
            if (refusal != null) {
                refused.put(append, refusal);
            } else {
                admitted.add(append);
                append.events().forEach(e -> movedInBatch.add(e.event().streamId()));
            }
        }
    }

    /** Appends and exclusive tasks waiting for the writer thread (tests wait for their callers to queue). */
    int queued() {
        return queue.size();
    }

    /** Tests: answers owed from now on wait until {@code release}, as behind a slow wake-up. */
    void holdAnswers(CountDownLatch release) {
        answering.incrementAndGet();
        answers.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                answering.decrementAndGet();
            }
        });
    }

    /** Tests: how many lease epochs a SQLite writer read from the database to admit fenced appends. */
    long epochReads() {
        return known == null ? 0 : known.reads();
    }

    /** Tests: how many batches went in one trip on what the writer knew (always 0 on SQLite). */
    long oneTripBatches() {
        return knowledge == null ? 0 : knowledge.oneTripBatches();
    }

    /** Tests: whether the writer thread has ended (after a close). */
    boolean writerEnded() {
        return !thread.isAlive();
    }

    private <T> void runExclusive(Exclusive<T> exclusive) {
        if (knowledge != null) {
            knowledge.forget(); // work outside batches may change what the writer knew, unseen
        }
        if (known != null) {
            known.forget();
        }
        try {
            T result = inTransaction(exclusive.work());
            answer(1, () -> exclusive.done().complete(result));
        } catch (Throwable e) {
            answer(1, () -> exclusive.done().completeExceptionally(e));
        }
    }

    private <T> T inTransaction(StatementWork<T> work) throws Exception {
        Statements st = statements();
        Connection c = st.connection();
        boolean kept = false;
        try {
            c.setAutoCommit(false);
            T result;
            try {
                result = work.run(st);
            } catch (Exception | Error e) {
                rollback(c, e);
                throw e;
            }
            try {
                c.commit(); // nothing to send when the work's last statement committed (PostgresAppend)
            } catch (SQLException e) {
                rollback(c, e);
                throw new CommitFailed(e);
            }
            c.setAutoCommit(true);
            kept = true;
            return result;
        } finally {
            if (kept) {
                heldLastUsed = System.nanoTime();
            } else {
                release(null); // after a failure the next batch starts on a connection the pool has checked
            }
        }
    }

    /** The kept connection, or a fresh one from the pool when none is kept or it sat idle too long. */
    private Statements statements() throws SQLException {
        if (held != null && System.nanoTime() - heldLastUsed > KEEP_IDLE_NANOS) {
            release(null);
        }
        if (held == null) {
            held = new Statements(source.getConnection());
            heldLastUsed = System.nanoTime();
        }
        return held;
    }

    private void release(Throwable failure) {
        if (held != null) {
            held.close(failure);
            held = null;
        }
    }

    /**
     * The commit itself, or the trip to the server that carried it, failed: its outcome is unknown to the writer (the
     * database may have made it durable), so the batch's appends are not written again.
     */
    static final class CommitFailed extends SQLException {
        private static final long serialVersionUID = 1L;

        CommitFailed(SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), cause);
        }
    }

    private static void rollback(Connection c, Throwable failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** Writes everything queued before this call, then stops the writer thread. */
    @Override
    public void close() {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(new Stop(stopped));
        }
        stopped.join();
    }
}
