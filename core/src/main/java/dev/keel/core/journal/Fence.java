package dev.keel.core.journal;

import java.util.Objects;

/**
 * The lease a writer holds on an account, as a fencing token: an append that carries it is written only while the
 * account's lease epoch in the journal is still {@code epoch}. A process that paused past its lease (a GC pause, a
 * lost connection) and woke up after another took the account over can thus not write (law 13 across processes).
 *
 * @param accountId the account
 * @param epoch     the epoch the journal handed out when the lease was taken ({@link Journal#takeLease}), at least 1
 */
public record Fence(String accountId, long epoch) {
    public Fence {
        Objects.requireNonNull(accountId, "accountId");
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be at least 1, but was " + epoch);
        }
    }
}
