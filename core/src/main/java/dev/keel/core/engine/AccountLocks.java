package dev.keel.core.engine;

import dev.keel.core.time.WaitInterrupted;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/** One writer per account at a time, in this process: a lock per account. */
final class AccountLocks implements AccountLeases {
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    @Override
    public AccountLease acquire(String accountId, Duration timeout) {
        ReentrantLock lock = locks.computeIfAbsent(accountId, k -> new ReentrantLock());
        if (lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("account '" + accountId + "' is already leased by this thread");
        }
        boolean held;
        try {
            held = lock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            throw new WaitInterrupted("waiting for account '" + accountId + "''s lease", e);
        }
        if (!held) {
            throw AccountLeases.locked(accountId, timeout);
        }
        return AccountLease.of(accountId, 0, lock::unlock);
    }

}
