package dev.keel.store;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import dev.keel.core.journal.JournalRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sql.DataSource;

/**
 * The journal's one writer thread. Appends queued by many threads are written in one database transaction, so one
 * commit (one fsync) makes a whole batch durable; each caller waits for the commit that holds its events. A failed
 * transaction is rolled back and fails every append in it with {@code JOURNAL_WRITE_FAILED}.
 */
final class GroupCommitWriter implements AutoCloseable {
    /** The most events one transaction takes; more wait for the next commit. */
    static final int MAX_BATCH_EVENTS = 1_000;

    /** Work done on the writer's connection inside one transaction; the writer commits when it returns. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws Exception;
    }

    private sealed interface Task permits Append, Exclusive, Stop {
    }

    private record Append(List<EventCodec.Encoded> events, CompletableFuture<List<JournalRecord>> done)
            implements Task {
    }

    private record Exclusive<T>(SqlWork<T> work, CompletableFuture<T> done) implements Task {
    }

    private record Stop(CompletableFuture<Void> done) implements Task {
    }

    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final DataSource source;
    private final String description;
    private final Thread thread;
    private final Object lifecycle = new Object();
    private boolean closed;

    GroupCommitWriter(DataSource source, String description) {
        this.source = source;
        this.description = description;
        this.thread = Thread.ofPlatform().name("keel-journal-writer").daemon(true).start(this::run);
    }

    /** Blocks until the events are committed; all or none of them are. */
    List<JournalRecord> append(List<EventCodec.Encoded> events) {
        CompletableFuture<List<JournalRecord>> done = new CompletableFuture<>();
        submit(new Append(List.copyOf(events), done));
        return await(done, "append");
    }

    /** Runs {@code work} alone in one transaction on the writer's connection, between batches of appends. */
    <T> T exclusive(SqlWork<T> work, String what) {
        CompletableFuture<T> done = new CompletableFuture<>();
        submit(new Exclusive<>(work, done));
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
                    stop.done().complete(null);
                    return;
                }
                case Exclusive<?> exclusive -> runExclusive(exclusive);
                case Append first -> {
                    List<Append> batch = new ArrayList<>();
                    batch.add(first);
                    int events = first.events().size();
                    Task next;
                    while (events < MAX_BATCH_EVENTS && (next = queue.poll()) != null) {
                        if (next instanceof Append more) {
                            batch.add(more);
                            events += more.events().size();
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

    private void writeBatch(List<Append> batch) {
        List<EventCodec.Encoded> all = new ArrayList<>();
        batch.forEach(a -> all.addAll(a.events()));
        List<JournalRecord> written;
        try {
            written = inTransaction(c -> AppendSql.write(c, all));
        } catch (Throwable e) {
            batch.forEach(a -> a.done().completeExceptionally(e));
            return;
        }
        int from = 0;
        for (Append append : batch) {
            int to = from + append.events().size();
            append.done().complete(List.copyOf(written.subList(from, to)));
            from = to;
        }
    }

    private <T> void runExclusive(Exclusive<T> exclusive) {
        try {
            exclusive.done().complete(inTransaction(exclusive.work()));
        } catch (Throwable e) {
            exclusive.done().completeExceptionally(e);
        }
    }

    private <T> T inTransaction(SqlWork<T> work) throws Exception {
        try (Connection c = source.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (Exception | Error e) {
                rollback(c, e);
                throw e;
            }
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
