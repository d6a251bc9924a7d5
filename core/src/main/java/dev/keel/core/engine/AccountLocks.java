package dev.keel.core.engine;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/** One writer per account at a time, in this process. Across processes a PostgreSQL advisory lock comes later. */
public final class AccountLocks {
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** A held lock; closing releases it. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Takes the account's lock, waiting at most {@code timeout}, or throws ACCOUNT_LOCKED. */
    public Held lock(String accountId, Duration timeout) {
        ReentrantLock lock = locks.computeIfAbsent(accountId, k -> new ReentrantLock());
        boolean held;
        try {
            held = lock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            held = false;
        }
        if (!held) {
            throw new KeelException(ErrorCode.ACCOUNT_LOCKED,
                    "account '" + accountId + "' is busy with another operation; waited " + timeout,
                    ErrorContext.of(null, accountId, null), null);
        }
        return lock::unlock;
    }
}
