package dev.keel.core.journal;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;

/**
 * A fenced append was refused: the account's lease has been taken since the writer took it, so the writer no longer
 * owns the account. Nothing of the append was written; the writer must stop working on the account.
 */
public final class LeaseLostException extends KeelException {
    private static final long serialVersionUID = 1L;
    private final transient Fence fence;
    private final long current;

    public LeaseLostException(Fence fence, long current) {
        super(ErrorCode.LEASE_LOST, "the lease on account '" + fence.accountId() + "' is at epoch " + current
                + ", not at " + fence.epoch() + " as this writer took it: another process owns the account now",
                ErrorContext.of(null, fence.accountId(), null), null);
        this.fence = fence;
        this.current = current;
    }

    /** What the refused append carried. */
    public Fence fence() {
        return fence;
    }

    /** The account's epoch in the journal when the append was refused. */
    public long current() {
        return current;
    }
}
