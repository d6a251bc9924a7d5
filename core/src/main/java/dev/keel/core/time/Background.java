package dev.keel.core.time;

import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One piece of start-up work on a thread of its own while the caller does another: a process's start is one thread's
 * work otherwise, and the second core idle (issue 15). The caller always waits for it before going on or giving up,
 * so nothing it opened is left behind: {@link #join} for its result, {@link #discard} when the caller failed first.
 *
 * @param <T> what the work makes
 */
public final class Background<T> {
    private final FutureTask<T> task;

    private Background(FutureTask<T> task) {
        this.task = task;
    }

    /** Starts {@code work} on a daemon thread named {@code name}. */
    public static <T> Background<T> start(String name, Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        FutureTask<T> task = new FutureTask<>(work::get);
        Thread.ofPlatform().name(name).daemon().start(task);
        return new Background<>(task);
    }

    /** Runs {@code work} on the caller's thread, now: for the cases with nothing worth running beside. */
    public static <T> Background<T> done(Supplier<T> work) {
        FutureTask<T> task = new FutureTask<>(work::get);
        task.run();
        return new Background<>(task);
    }

    /**
     * Waits for the work to end (an interrupt meanwhile is kept for the caller, not lost) and returns what it made, or
     * throws what it threw, as it threw it.
     */
    public T join() {
        try {
            return awaitUninterruptibly();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Waits for the work to end and hands what it made to {@code close}; what it threw is dropped, the caller's own
     * failure being the one to report.
     */
    public void discard(Consumer<? super T> close) {
        T made;
        try {
            made = awaitUninterruptibly();
        } catch (ExecutionException e) {
            return;
        }
        if (made != null) {
            close.accept(made);
        }
    }

    private T awaitUninterruptibly() throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
