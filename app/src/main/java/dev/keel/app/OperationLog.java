package dev.keel.app;

import dev.keel.core.journal.Journal;
import dev.keel.core.journal.TransactionSummary;
import dev.keel.core.model.OperationState;
import dev.keel.core.model.OperationType;
import dev.keel.core.model.TransactionStatus;
import dev.keel.core.ops.OperationView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The order operations among the journal's transactions. The journal's transaction view does not index operations
 * apart from rebalances, so these read its transactions newest first and keep the operations.
 */
final class OperationLog {
    private OperationLog() {
    }

    /** The operations' names, as their transactions record them. */
    private static final Set<String> OPERATIONS = Arrays.stream(OperationType.values())
            .map(OperationType::operationName).collect(Collectors.toUnmodifiableSet());

    /** Every order operation of {@code account} (null: all), newest first. */
    static List<TransactionSummary> all(Journal journal, String account) {
        return newest(journal, account, Integer.MAX_VALUE);
    }

    /** The newest {@code limit} order operations of {@code account} (null: all). */
    static List<TransactionSummary> newest(Journal journal, String account, int limit) {
        return journal.recentTransactions(limit, account, OPERATIONS);
    }

    /** At most {@code limit} operations of {@code account} (null: all) that {@code keep} accepts, newest first. */
    static List<TransactionSummary> recent(Journal journal, String account, int limit,
                                           Predicate<TransactionSummary> keep) {
        int window = Math.max(limit, 1) * 4;
        while (true) {
            List<TransactionSummary> page = journal.recentTransactions(window, account, OPERATIONS);
            List<TransactionSummary> kept = new ArrayList<>();
            for (TransactionSummary s : page) {
                if (kept.size() < limit && keep.test(s)) {
                    kept.add(s);
                }
            }
            if (kept.size() >= limit || page.size() < window || window > Integer.MAX_VALUE / 2) {
                return kept;
            }
            window *= 2;
        }
    }

    /**
     * Whether an operation whose transaction stands in {@code status} may be in {@code state}: a terminal state maps
     * to one status; PENDING, IN_PROGRESS and ROLLING_BACK are all IN_PROGRESS. Saves folding what cannot match.
     */
    static boolean mayBeIn(TransactionStatus status, OperationState state) {
        return state.isTerminal() ? state.transactionStatus() == status : status == TransactionStatus.IN_PROGRESS;
    }

    /** The state of the operation {@code s}, folded from its events. */
    static OperationState state(Journal journal, TransactionSummary s) {
        return OperationView.fold(journal.stream(s.txId())).state();
    }

    /** Operations started to undo {@code txId} ({@code rollback_of}), oldest first. */
    static List<String> rollbacksOf(Journal journal, TransactionSummary op) {
        List<String> ids = new ArrayList<>();
        for (TransactionSummary s : all(journal, op.accountId())) {
            if (s.startedAt().isBefore(op.startedAt()) || s.txId().equals(op.txId())) {
                continue;
            }
            OperationType type = OperationType.ofOperation(s.operation()).orElseThrow();
            if (type != OperationType.POSITION_CLOSE && type != OperationType.BULK_CANCEL
                    && type != OperationType.REBALANCE_ROLLBACK) {
                continue;
            }
            OperationView view = OperationView.fold(journal.stream(s.txId()));
            if (view.params() != null && op.txId().equals(view.params().rollbackOf())) {
                ids.add(0, s.txId());
            }
        }
        return ids;
    }
}
