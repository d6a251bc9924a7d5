package dev.keel.core.model;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * What an account may send (law 9: uncertain position, frozen account). Legal transitions are data, one table per
 * {@link Actor}: the engine only moves on evidence and never lifts a HALTED; only an operator does, after looking.
 */
public enum TradingState {
    /** Every order may leave Keel. */
    ACTIVE,
    /** Only cancels and risk-reducing orders (sells of long positions) leave Keel; buys are skipped. */
    REDUCING,
    /**
     * Nothing but cancels leaves Keel until an operator resumes the account; the one exception is an operator's
     * position close, whose sell only reduces a long position ({@code OrderExecutor.executeReducing}).
     */
    HALTED;

    /** Who moves an account from one state to another. */
    public enum Actor {
        /** Keel itself, on evidence: a mismatch, an unresolved order, a breaker on order placement. */
        ENGINE,
        /** A person, through {@code keel account halt|resume}. */
        OPERATOR
    }

    private static final Map<TradingState, Set<TradingState>> BY_ENGINE = Map.of(
            ACTIVE, EnumSet.of(REDUCING, HALTED),
            REDUCING, EnumSet.of(ACTIVE, HALTED),
            HALTED, EnumSet.noneOf(TradingState.class));
    private static final Map<TradingState, Set<TradingState>> BY_OPERATOR = Map.of(
            ACTIVE, EnumSet.of(HALTED),
            REDUCING, EnumSet.of(ACTIVE, HALTED),
            HALTED, EnumSet.of(ACTIVE));

    /** Whether {@code actor} may move an account from this state to {@code next}. */
    public boolean canMoveTo(TradingState next, Actor actor) {
        return (actor == Actor.ENGINE ? BY_ENGINE : BY_OPERATOR).get(this).contains(next);
    }

    /** Returns {@code next} if {@code actor} may make the move, and throws {@link IllegalStateTransitionException} otherwise. */
    public TradingState moveTo(TradingState next, Actor actor) {
        if (canMoveTo(next, actor)) {
            return next;
        }
        throw new IllegalStateTransitionException("trading (" + actor + ")", name(), next.name());
    }

    /**
     * Whether a new order on {@code side} may leave Keel. Keel's accounts are cash accounts that never go short and
     * its planner never sells more than is held, so a sell is a close of (part of) a long position: risk-reducing.
     * Cancels, lookups and fill polls are always allowed: they never add risk.
     */
    public boolean allowsNew(Side side) {
        return switch (this) {
            case ACTIVE -> true;
            case REDUCING -> side == Side.SELL;
            case HALTED -> false;
        };
    }
}
