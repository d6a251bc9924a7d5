package dev.keel.core.model;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where an order operation (bracket, OCO, close, bulk cancel, modification) stands. Legal moves are data
 * ({@link #canMoveTo}); every move is journaled, and the terminal states map onto the transaction's one terminal
 * {@link TransactionStatus} (law 6).
 */
public enum OperationState {
    /** Requested and durable; nothing sent yet. */
    PENDING,
    /** Orders are being placed, watched or cancelled. */
    IN_PROGRESS,
    /** Ended with part of it done: some orders could not be cancelled, an entry filled only in part. */
    PARTIALLY_COMPLETED,
    COMPLETED,
    /** Ended with nothing done. */
    FAILED,
    /** Undoing what was placed: cancelling orders, closing what filled. */
    ROLLING_BACK,
    /** Undone: what was placed is cancelled and what filled is closed. */
    ROLLED_BACK,
    /** Keel cannot tell or fix the state by itself; an operator must look. */
    NEEDS_REVIEW;

    private static final Map<OperationState, Set<OperationState>> LEGAL = Map.of(
            PENDING, EnumSet.of(IN_PROGRESS, FAILED, NEEDS_REVIEW),
            IN_PROGRESS, EnumSet.of(PARTIALLY_COMPLETED, COMPLETED, FAILED, ROLLING_BACK, NEEDS_REVIEW),
            ROLLING_BACK, EnumSet.of(ROLLED_BACK, NEEDS_REVIEW),
            PARTIALLY_COMPLETED, EnumSet.noneOf(OperationState.class),
            COMPLETED, EnumSet.noneOf(OperationState.class),
            FAILED, EnumSet.noneOf(OperationState.class),
            ROLLED_BACK, EnumSet.noneOf(OperationState.class),
            NEEDS_REVIEW, EnumSet.noneOf(OperationState.class));

    public boolean canMoveTo(OperationState next) {
        return LEGAL.get(this).contains(next);
    }

    /** Returns {@code next} if the move is legal, and throws {@link IllegalStateTransitionException} otherwise. */
    public OperationState moveTo(OperationState next) {
        if (canMoveTo(next)) {
            return next;
        }
        throw new IllegalStateTransitionException("operation", name(), next.name());
    }

    public boolean isTerminal() {
        return LEGAL.get(this).isEmpty();
    }

    /** The transaction status this terminal state ends the transaction with. */
    public TransactionStatus transactionStatus() {
        return switch (this) {
            case COMPLETED -> TransactionStatus.COMPLETED;
            case PARTIALLY_COMPLETED -> TransactionStatus.PARTIAL;
            case FAILED -> TransactionStatus.FAILED;
            case ROLLED_BACK -> TransactionStatus.ROLLED_BACK;
            case NEEDS_REVIEW -> TransactionStatus.NEEDS_REVIEW;
            case PENDING, IN_PROGRESS, ROLLING_BACK ->
                    throw new IllegalStateException(this + " is not terminal: a transaction cannot end in it");
        };
    }
}
