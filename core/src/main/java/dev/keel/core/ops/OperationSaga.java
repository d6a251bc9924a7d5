package dev.keel.core.ops;

import dev.keel.core.execution.TransactionLedger;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.OperationParams;
import dev.keel.core.model.PlannedOrder;
import java.util.List;

/**
 * One order operation's steps. {@link #run} reads the operation's folded state first at every step, so the same call
 * starts it and resumes it after a crash, and it returns only when the operation is terminal (law 6). The caller holds
 * the account's lock.
 */
interface OperationSaga {

    /**
     * Refuses a request that cannot be run, before anything is journaled, with a
     * {@link dev.keel.core.error.KeelException} naming the parameter and what was expected.
     *
     * @param account the account as the broker reports it now
     */
    void validate(OperationParams params, AccountSnapshot account);

    /** The orders the operation means to place, for the transaction log's {@code target_orders}. */
    List<PlannedOrder> planned(OperationParams params, AccountSnapshot account);

    /** Whether the operation adds risk (a new entry): then a frozen account refuses it and the books are checked. */
    boolean addsRisk();

    /** Drives the operation from where its journal stands to a terminal state. */
    OperationOutcome run(TransactionLedger ledger);
}
